const express = require("express");

const app = express();

app.get("/hello", (req, res) => {
  res.send("<h1>Hello " + req.query.name + "</h1>");
});

function render(el) {
  el.innerHTML = location.hash.slice(1);
  document.write(decodeURIComponent(location.search));
}

// jqLite parses the string as markup.
function banner() {
  const msg = new URLSearchParams(window.location.search).get("msg");
  angular.element("#banner").html(msg);
}

// An API Gateway response served as a page.
exports.greet = async function (event, context) {
  const page = `<p>Hi ${event.queryStringParameters.name}</p>`;
  return { statusCode: 200, headers: { "Content-Type": "text/html" }, body: page };
};

// Markup appended piece by piece.
exports.card = async function (event, context) {
  let html = "<div class='card'>";
  html = html.concat(event.body);
  return { body: html };
};

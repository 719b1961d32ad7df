const express = require("express");
const escapeHtml = require("escape-html");

const app = express();

app.get("/hello", (req, res) => {
  res.send("<h1>Hello " + escapeHtml(req.query.name) + "</h1>");
});

app.get("/api", (req, res) => {
  res.send({ name: req.query.name });
});

function render(el) {
  el.textContent = location.hash.slice(1);
}

function banner($sanitize) {
  const msg = new URLSearchParams(window.location.search).get("msg");
  angular.element("#banner").html($sanitize(msg));
  angular.element("#banner").text(msg);
}

// JSON by default: API Gateway does not serve this as a page.
exports.greet = async function (event, context) {
  console.log(`<p>Hi ${event.queryStringParameters.name}</p>`);
  return { statusCode: 200, body: JSON.stringify({ hi: event.queryStringParameters.name }) };
};

const express = require("express");

const app = express();

app.get("/hello", (req, res) => {
  res.send("<h1>Hello " + req.query.name + "</h1>");
});

function render(el) {
  el.innerHTML = location.hash.slice(1);
  document.write(decodeURIComponent(location.search));
}

const express = require("express");

const app = express();

app.get("/login", (req, res) => {
  res.redirect(req.query.next);
});

function go() {
  const target = new URLSearchParams(location.search).get("to");
  window.location.href = target;
}

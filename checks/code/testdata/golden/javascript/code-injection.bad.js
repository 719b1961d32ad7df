const express = require("express");
const vm = require("vm");

const app = express();

app.post("/calc", (req, res) => {
  res.json({ result: eval(req.body.expr) });
});

app.post("/fn", (req, res) => {
  const f = new Function("x", req.body.code);
  vm.runInNewContext(req.body.script, {});
  res.json({ r: f(1) });
});

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

// A vm2 sandbox held in a variable still runs the caller's code.
const { NodeVM } = require("vm2");
app.post("/plugin", (req, res) => {
  const box = new NodeVM({ timeout: 1000 });
  res.json({ r: box.run("module.exports = " + req.body.src) });
});

// One sandbox for the whole module, fed the request's code in a handler.
const { VM } = require("vm2");
const shared = new VM();
app.post("/calc", (req, res) => {
  res.json({ result: shared.run(req.body.expression) });
});

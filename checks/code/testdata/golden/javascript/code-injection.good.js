const express = require("express");

const app = express();

app.post("/calc", (req, res) => {
  res.json({ result: JSON.parse(req.body.expr) });
});

setTimeout(() => console.log("tick"), 1000);

// The sandbox runs fixed code; the request only supplies data to it.
const { NodeVM } = require("vm2");
app.post("/plugin", (req, res) => {
  const box = new NodeVM({ timeout: 1000, sandbox: { n: Number(req.body.n) } });
  res.json({ r: box.run("module.exports = n * 2") });
});

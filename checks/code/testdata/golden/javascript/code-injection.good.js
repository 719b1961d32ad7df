const express = require("express");

const app = express();

app.post("/calc", (req, res) => {
  res.json({ result: JSON.parse(req.body.expr) });
});

setTimeout(() => console.log("tick"), 1000);

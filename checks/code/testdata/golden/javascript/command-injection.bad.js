const { exec, spawn } = require("child_process");
const express = require("express");

const app = express();

app.get("/ping", (req, res) => {
  exec("ping -c 1 " + req.query.host, (err, out) => res.send(out));
});

app.get("/tool", (req, res) => {
  spawn(req.query.tool, ["--version"]);
  res.end();
});

// Deno: a shell running the request's script.
app.get("/deno", (req, res) => {
  Deno.run({ cmd: ["sh", "-c", "grep " + req.query.q + " log.txt"] });
  res.end();
});

// node -e runs code built from the request.
app.get("/calc", (req, res) => {
  spawn("node", ["-e", "console.log(" + req.query.expr + ")"]);
  res.end();
});

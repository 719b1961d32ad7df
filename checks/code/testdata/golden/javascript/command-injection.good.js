const { execFile, spawn } = require("child_process");
const express = require("express");

const app = express();

app.get("/ping", (req, res) => {
  execFile("ping", ["-c", "1", req.query.host], (err, out) => res.json({ out }));
});

// Deno: a fixed program; the request only adds an argument.
app.get("/deno", (req, res) => {
  Deno.run({ cmd: ["grep", "--", req.query.q, "log.txt"] });
  res.end();
});

// A fixed script; the request's value is one of its arguments, not code.
app.get("/build", (req, res) => {
  spawn("node", ["scripts/build.js", "--target", req.query.target]);
  res.end();
});

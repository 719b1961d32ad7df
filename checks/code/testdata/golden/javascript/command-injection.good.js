const { execFile } = require("child_process");
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

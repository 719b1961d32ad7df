const { execFile, spawn } = require("child_process");
const express = require("express");
const app = express();

// "--" ends git's options.
app.get("/log", (req, res) => {
  execFile("git", ["log", "--oneline", "--", req.query.path], () => res.end());
});

// A fixed prefix: the value never begins with "-".
app.get("/fetch", (req, res) => {
  execFile("git", ["fetch", "origin", "refs/heads/" + req.query.branch], () => res.end());
});

// The value of -m is the message.
app.post("/commit", (req, res) => {
  execFile("git", ["commit", "-m", req.body.message], () => res.end());
});

// Values that begin with "-" are refused.
app.post("/probe", (req, res) => {
  const host = req.body.host;
  if (host.startsWith("-")) {
    return res.status(400).end();
  }
  spawn("ssh", [host, "uptime"]);
  res.end();
});

// A program without dangerous options.
app.get("/count", (req, res) => {
  execFile("wc", ["-l", req.query.file], () => res.end());
});

const { execFile, spawn } = require("child_process");
const express = require("express");
const app = express();

// A ref of "--upload-pack=touch /tmp/pwned" becomes an option of git.
app.get("/fetch", (req, res) => {
  execFile("git", ["fetch", "origin", req.query.ref], () => res.end());
});

// "-oProxyCommand=…" runs a command before ssh connects.
app.post("/probe", (req, res) => {
  const host = req.body.host;
  spawn("ssh", [host, "uptime"]);
  res.end();
});

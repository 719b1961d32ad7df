const express = require("express");
const app = express();

// Every site may read the answers, with the visitor's cookies.
app.get("/me", (req, res) => {
  res.setHeader("Access-Control-Allow-Origin", req.headers.origin);
  res.setHeader("Access-Control-Allow-Credentials", "true");
  res.json(req.user);
});

app.get("/feed", (req, res) => {
  res.writeHead(200, { "Access-Control-Allow-Origin": req.get("origin"), "Content-Type": "application/json" });
  res.end("[]");
});

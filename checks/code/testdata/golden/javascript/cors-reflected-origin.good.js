const express = require("express");
const app = express();
const TRUSTED = ["https://app.example.com"];

app.get("/me", (req, res) => {
  const origin = req.headers.origin;
  if (TRUSTED.includes(origin)) {
    res.setHeader("Access-Control-Allow-Origin", origin);
    res.setHeader("Access-Control-Allow-Credentials", "true");
  }
  res.set("X-Seen-Origin", origin); // not a CORS header
  res.json(req.user);
});

app.get("/public", (req, res) => {
  res.set({ "Access-Control-Allow-Origin": "https://app.example.com" });
  res.json([]);
});

const serialize = require("node-serialize");
const express = require("express");

const app = express();

app.post("/profile", (req, res) => {
  const profile = serialize.unserialize(req.cookies.profile);
  res.json(profile);
});

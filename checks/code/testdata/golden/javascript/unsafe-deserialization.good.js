const express = require("express");

const app = express();

app.post("/profile", (req, res) => {
  const profile = JSON.parse(req.cookies.profile);
  res.json(profile);
});

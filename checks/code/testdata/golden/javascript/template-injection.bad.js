const ejs = require("ejs");
const express = require("express");

const app = express();

app.get("/greet", (req, res) => {
  res.json({ html: ejs.render("<h1>Hello " + req.query.name + "</h1>") });
});

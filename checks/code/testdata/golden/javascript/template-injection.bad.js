const ejs = require("ejs");
const express = require("express");

const app = express();

app.get("/greet", (req, res) => {
  res.json({ html: ejs.render("<h1>Hello " + req.query.name + "</h1>") });
});

// Template engines that compile their first argument: Hogan, Squirrelly, doT.
const Hogan = require("hogan.js");
const Sqrl = require("squirrelly");
const dot = require("dot");
app.post("/preview", (req, res) => {
  const source = req.body.template;
  res.send(Hogan.compile(source).render({}));
  res.send(Sqrl.render(source, {}));
  res.send(dot.compile(source)({}));
});

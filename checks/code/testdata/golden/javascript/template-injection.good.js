const ejs = require("ejs");
const express = require("express");

const app = express();

app.get("/greet", (req, res) => {
  res.json({ html: ejs.render("<h1>Hello <%= name %></h1>", { name: req.query.name }) });
});

// Constant template source; request data only as the view's data.
const Hogan = require("hogan.js");
const Sqrl = require("squirrelly");
const page = Hogan.compile("<p>{{name}}</p>");
app.post("/preview", (req, res) => {
  res.send(page.render({ name: req.body.name }));
  res.send(Sqrl.render("<p>{{it.name}}</p>", { name: req.body.name }));
});

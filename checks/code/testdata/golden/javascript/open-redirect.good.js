const express = require("express");

const app = express();
const ALLOWED = ["/home", "/settings"];

app.get("/login", (req, res) => {
  const next = req.query.next;
  if (!ALLOWED.includes(next)) {
    return res.redirect("/");
  }
  res.redirect(next);
});

app.get("/profile", (req, res) => {
  res.redirect("/users/" + req.query.id);
});

const fs = require("fs");
const path = require("path");
const express = require("express");

const app = express();

app.get("/file", (req, res) => {
  const data = fs.readFileSync(path.join(__dirname, "files", path.basename(req.query.name)));
  res.json({ data: data.toString() });
});

app.get("/dl", (req, res) => {
  res.sendFile(req.params.name, { root: "/srv/files" });
});

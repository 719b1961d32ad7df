const fs = require("fs");
const path = require("path");
const express = require("express");

const app = express();

app.get("/file", (req, res) => {
  const data = fs.readFileSync(path.join(__dirname, "files", req.query.name));
  res.type("text/plain").end(data);
});

app.get("/dl", (req, res) => {
  res.sendFile("/srv/files/" + req.params.name);
});

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

// Joined, then checked to stay under the root.
app.post("/extract", (req, res) => {
  const target = path.resolve(uploadRoot, req.body.entry);
  if (!target.startsWith(uploadRoot + path.sep)) {
    return res.status(400).end();
  }
  extractArchive(target);
  res.end();
});

// Parent references stripped, or the project's sanitiser applied.
app.post("/import", (req, res) => {
  const name = req.body.name.replace(/\.\.(\/|\\|$)/g, "");
  importFile(path.join(importRoot, name));
  importFile(path.join(importRoot, sanitizePath(req.body.other)));
  res.end();
});

// Destructured request fields reduced to a base name.
app.get("/raw/:file", ({ params }, res) => {
  res.sendFile(path.join("/srv/raw", path.basename(params.file)));
});

// Each requested name is reduced to its base first.
app.post("/bundle", (req, res) => {
  req.body.names.forEach((name) => {
    res.write(fs.readFileSync(path.join("/srv/docs", path.basename(name))));
  });
  res.end();
});

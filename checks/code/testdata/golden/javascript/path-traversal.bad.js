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

// The joined path goes to a helper warden cannot see into.
app.post("/extract", (req, res) => {
  const target = path.resolve(uploadRoot, req.body.entry);
  extractArchive(target);
  res.end();
});

// Request fields destructured in the parameter list.
app.get("/raw/:file", ({ params, query: q }, res) => {
  res.sendFile(path.join("/srv/raw", params.file, q.rev));
});

// Each requested name becomes a path.
app.post("/bundle", (req, res) => {
  req.body.names.forEach((name) => {
    res.write(fs.readFileSync(path.join("/srv/docs", name)));
  });
  res.end();
});

const express = require("express");
const mysql = require("mysql");

const app = express();
const db = mysql.createConnection({});

app.get("/user", (req, res) => {
  db.query("SELECT * FROM users WHERE name = ?", [req.query.name], (err, rows) => res.json(rows));
});

app.post("/order", function (req, res) {
  const id = parseInt(req.body.id, 10);
  db.query(`DELETE FROM orders WHERE id = ${id}`);
  res.sendStatus(204);
});

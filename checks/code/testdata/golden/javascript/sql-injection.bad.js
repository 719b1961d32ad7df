const express = require("express");
const mysql = require("mysql");

const app = express();
const db = mysql.createConnection({});

app.get("/user", (req, res) => {
  const name = req.query.name;
  db.query("SELECT * FROM users WHERE name = '" + name + "'", (err, rows) => res.json(rows));
});

app.post("/order", function (req, res) {
  const { id } = req.body;
  db.query(`DELETE FROM orders WHERE id = ${id}`);
  res.sendStatus(204);
});

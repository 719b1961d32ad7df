import sqlite3

from flask import Flask, request

app = Flask(__name__)
db = sqlite3.connect("app.db")


@app.route("/user")
def user():
    name = request.args.get("name")
    db.cursor().execute("SELECT * FROM users WHERE name = ?", (name,))
    return "ok"


@app.route("/order")
def order():
    oid = int(request.form["id"])
    db.execute(f"DELETE FROM orders WHERE id = {oid}")
    return "ok"


SORTABLE = {"name", "created"}


@app.route("/list")
def listing():
    col = request.args.get("sort", "name")
    if col not in SORTABLE:
        return "bad", 400
    db.execute("SELECT * FROM users ORDER BY " + col)
    return "ok"

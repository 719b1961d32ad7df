import sqlite3

from flask import Flask, request

app = Flask(__name__)
db = sqlite3.connect("app.db")


@app.route("/user")
def user():
    name = request.args.get("name")
    cur = db.cursor()
    cur.execute("SELECT * FROM users WHERE name = '" + name + "'")
    return "ok"


@app.route("/order")
def order():
    oid = request.form["id"]
    db.execute(f"DELETE FROM orders WHERE id = {oid}")
    return "ok"


def find(cursor, email):
    cursor.execute("SELECT id FROM users WHERE email = '%s'" % email)


@app.route("/by-email")
def by_email():
    find(db.cursor(), request.values.get("email"))
    return "ok"

from flask import Flask, abort, jsonify, request

app = Flask(__name__)
TRUSTED = {"https://app.example.com"}


@app.route("/me")
def me():
    origin = request.headers.get("Origin")
    if origin not in TRUSTED:
        abort(403)
    resp = jsonify({})
    resp.headers["Access-Control-Allow-Origin"] = origin
    resp.headers["X-Seen-Origin"] = origin  # not a CORS header
    return resp


@app.route("/public")
def public():
    resp = jsonify([])
    resp.headers.add("Access-Control-Allow-Origin", "https://app.example.com")
    return resp

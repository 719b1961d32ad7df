import requests
from flask import Flask, request

app = Flask(__name__)


@app.route("/user")
def user():
    uid = request.args.get("id")
    r = requests.get(f"https://api.example.com/users/{uid}", timeout=5)
    return r.json()


ALLOWED = {"https://a.example.com/feed", "https://b.example.com/feed"}


@app.route("/feed")
def feed():
    url = request.args.get("url")
    if url not in ALLOWED:
        return "no", 400
    return requests.get(url, timeout=5).text

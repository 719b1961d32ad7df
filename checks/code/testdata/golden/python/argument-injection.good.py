import subprocess
import sys

from flask import Flask, abort, request

app = Flask(__name__)


@app.route("/log")
def log():
    # "--" ends git's options.
    return subprocess.check_output(["git", "log", "--oneline", "--", request.args["path"]])


@app.route("/fetch")
def fetch():
    # A fixed prefix: the value never begins with "-".
    subprocess.run(["git", "fetch", "origin", "refs/heads/" + request.args["branch"]], check=True)
    return "ok"


@app.route("/commit", methods=["POST"])
def commit():
    # The value of -m is the message.
    subprocess.run(["git", "commit", "-m", request.form["message"]], check=True)
    return "ok"


@app.route("/probe", methods=["POST"])
def probe():
    host = request.form["host"]
    if host.startswith("-"):
        abort(400)
    return subprocess.check_output(["ssh", host, "uptime"])


def main():
    # A command-line tool passing its own argument on.
    subprocess.run(["git", "checkout", sys.argv[1]], check=True)

import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.route("/fetch")
def fetch():
    # A ref of "--upload-pack=touch /tmp/pwned" becomes an option of git.
    ref = request.args.get("ref")
    subprocess.run(["git", "fetch", "origin", ref], check=True)
    return "ok"


@app.route("/probe", methods=["POST"])
def probe():
    # "-oProxyCommand=..." runs a command before ssh connects.
    cmd = ["ssh", request.form["host"], "uptime"]
    return subprocess.check_output(cmd)

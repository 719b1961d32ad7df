import shlex
import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.route("/ping")
def ping():
    host = request.args.get("host")
    subprocess.run(["ping", "-c", "1", host], check=True)
    subprocess.run("nslookup " + shlex.quote(host), shell=True)
    return "ok"


@app.route("/trace")
def trace():
    host = request.args.get("host")
    cmd = ["traceroute", host]
    subprocess.run(cmd, check=True)
    subprocess.run(shlex.split("dig +short " + shlex.quote(host)), check=True)
    subprocess.run(["python3", "tools/lookup.py", host], check=True)
    argv = ["whois"]
    argv.append(host)
    subprocess.run(argv, check=True)
    return "ok"

import os
import shlex
import subprocess
import sys

from flask import Flask, request

app = Flask(__name__)


@app.route("/ping")
def ping():
    host = request.args.get("host")
    os.system("ping -c 1 " + host)
    subprocess.run(f"nslookup {host}", shell=True)
    return "ok"


@app.route("/run/<tool>")
def run(tool):
    subprocess.call([tool, "--version"])
    return "ok"


@app.route("/trace")
def trace():
    host = request.args.get("host")
    subprocess.run("traceroute " + host)  # a command line without a shell: parsed as one on Windows
    args = shlex.split(request.args.get("cmd"))
    subprocess.run(args)  # the caller's first word is the program
    subprocess.run(["python3", "-c", request.form["code"]])
    prog = "bash"
    subprocess.run([prog, "-c", "dig " + host])
    getattr(os, "system")("whois " + host)
    return "ok"


if __name__ == "__main__":
    subprocess.check_output("git log " + sys.argv[1], shell=True)

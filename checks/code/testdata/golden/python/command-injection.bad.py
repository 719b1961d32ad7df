import os
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


if __name__ == "__main__":
    subprocess.check_output("git log " + sys.argv[1], shell=True)

import os

from flask import Flask, request, send_from_directory
from werkzeug.utils import secure_filename

app = Flask(__name__)
BASE = "/srv/data"


@app.route("/read")
def read():
    name = secure_filename(request.args["name"])
    with open(os.path.join(BASE, name)) as f:
        return f.read()


@app.route("/get/<path:filename>")
def get(filename):
    return send_from_directory("/srv/files", filename)


@app.route("/real")
def real():
    p = os.path.realpath(os.path.join(BASE, request.args["p"]))
    if not p.startswith(BASE + os.sep):
        return "no", 400
    with open(p) as f:
        return f.read()

import os

from flask import Flask, request, send_file

app = Flask(__name__)


@app.route("/read")
def read():
    name = request.args["name"]
    with open(os.path.join("/srv/data", name)) as f:
        return f.read()


@app.route("/get/<path:filename>")
def get(filename):
    return send_file("/srv/files/" + filename)

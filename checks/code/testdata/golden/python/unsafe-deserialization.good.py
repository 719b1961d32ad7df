import json

import yaml
from flask import Flask, request

app = Flask(__name__)


@app.route("/load", methods=["POST"])
def load():
    return str(json.loads(request.get_data()))


def read_config(path):
    with open(path) as f:
        return yaml.safe_load(f)


def read_config_loader(text):
    return yaml.load(text, Loader=yaml.SafeLoader)


@app.route("/restore", methods=["POST"])
def restore():
    return str(json.load(request.files["state"]))

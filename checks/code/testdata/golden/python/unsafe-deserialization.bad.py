import _pickle
import pickle

import yaml
from flask import Flask, request

app = Flask(__name__)


@app.route("/load", methods=["POST"])
def load():
    obj = pickle.loads(request.get_data())
    return str(obj)


def read_config(path):
    with open(path) as f:
        return yaml.load(f)


def read_config_full(text):
    return yaml.load(text, Loader=yaml.Loader)


@app.route("/restore", methods=["POST"])
def restore():
    return str(_pickle.load(request.files["state"]))

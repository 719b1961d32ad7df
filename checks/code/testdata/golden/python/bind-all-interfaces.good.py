from flask import Flask

admin = Flask(__name__)


def serve_admin():
    admin.run(host="127.0.0.1", port=9000)

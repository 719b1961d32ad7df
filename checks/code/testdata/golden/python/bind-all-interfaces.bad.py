import socket

from flask import Flask

admin = Flask(__name__)


def serve_admin():
    admin.run(host="0.0.0.0", port=9000)


def metrics_socket():
    s = socket.socket()
    s.bind(("0.0.0.0", 9100))

import code
from flask import Flask, request

app = Flask(__name__)


@app.route("/calc")
def calc():
    expr = request.args.get("expr")
    return str(eval(expr))


@app.route("/run", methods=["POST"])
def run():
    exec(request.get_data(as_text=True))
    return "ok"


@app.route("/console", methods=["POST"])
def console():
    shell = code.InteractiveConsole()
    shell.push(request.form["line"])
    return "ok"

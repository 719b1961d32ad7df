import ast
import code

from flask import Flask, request

app = Flask(__name__)


@app.route("/calc")
def calc():
    expr = request.args.get("expr")
    return str(ast.literal_eval(expr))


def version():
    return eval("1 + 1")


@app.route("/console", methods=["POST"])
def console():
    shell = code.InteractiveConsole()
    shell.push("print(%d)" % int(request.form["n"]))
    return "ok"

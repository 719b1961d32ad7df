from flask import Flask, render_template_string, request

app = Flask(__name__)


@app.route("/greet")
def greet():
    tpl = "<h1>Hello " + request.args.get("name", "") + "</h1>"
    return render_template_string(tpl)

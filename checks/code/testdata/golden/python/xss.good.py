from django.http import HttpResponse
from flask import Flask, jsonify, render_template, request
from markupsafe import escape

app = Flask(__name__)


@app.route("/hello")
def hello():
    name = request.args.get("name", "")
    return "<h1>Hello " + str(escape(name)) + "</h1>"


@app.route("/api")
def api():
    return jsonify(name=request.args.get("name"))


@app.route("/page")
def page():
    return render_template("page.html", name=request.args.get("name"))


@app.route("/dict")
def as_dict():
    return {"name": request.args.get("name")}


@app.route("/card")
def card():
    html = "<div class='card'>"
    html += "<b>" + escape(request.args.get("title", "")) + "</b>"
    html += "</div>"
    return html

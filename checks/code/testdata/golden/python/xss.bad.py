from django.http import HttpResponse
from flask import Flask, make_response, request
from markupsafe import Markup

app = Flask(__name__)


@app.route("/hello")
def hello():
    name = request.args.get("name", "")
    return "<h1>Hello " + name + "</h1>"


@app.route("/bio")
def bio():
    return make_response(Markup(request.form["bio"]))


def greet(request):
    return HttpResponse("<p>Hi %s</p>" % request.GET["who"])


@app.route("/card")
def card():
    html = "<div class='card'>"
    html += "<b>" + request.args.get("title", "") + "</b>"
    html += "</div>"
    return html

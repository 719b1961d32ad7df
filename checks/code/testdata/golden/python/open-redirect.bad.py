from django.http import HttpResponseRedirect
from flask import Flask, redirect, request

app = Flask(__name__)


@app.route("/login")
def login():
    return redirect(request.args.get("next"))


def logout(request):
    return HttpResponseRedirect(request.GET.get("next", "/"))

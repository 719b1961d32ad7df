from django.http import JsonResponse
from flask import Flask, jsonify, request

app = Flask(__name__)


@app.route("/me")
def me():
    resp = jsonify({})
    # Every site may read the answer, with the visitor's cookies.
    resp.headers["Access-Control-Allow-Origin"] = request.headers.get("Origin")
    resp.headers["Access-Control-Allow-Credentials"] = "true"
    return resp


def profile(request):
    response = JsonResponse({})
    response["Access-Control-Allow-Origin"] = request.META.get("HTTP_ORIGIN", "")
    return response

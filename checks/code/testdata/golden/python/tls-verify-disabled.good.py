import requests


def fetch(url):
    return requests.get(url, verify="/etc/ssl/internal-ca.pem", timeout=5)

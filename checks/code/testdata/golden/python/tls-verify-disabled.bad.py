import ssl

import requests


def fetch(url):
    return requests.get(url, verify=False, timeout=5)


ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
legacy = ssl._create_unverified_context()

import ssl


def client_context():
    ctx = ssl.create_default_context()
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    return ctx


def server_context():
    return ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)

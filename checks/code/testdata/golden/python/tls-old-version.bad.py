import ssl


def legacy_context():
    # TLS 1.0 only: known attacks, deprecated by RFC 8996.
    return ssl.SSLContext(ssl.PROTOCOL_TLSv1)


def client_context():
    ctx = ssl.create_default_context()
    ctx.minimum_version = ssl.TLSVersion.TLSv1_1
    return ctx

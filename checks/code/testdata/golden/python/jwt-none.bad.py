import jwt


def claims(token):
    return jwt.decode(token, options={"verify_signature": False})


def claims_none(token, key):
    return jwt.decode(token, key, algorithms=["none"])

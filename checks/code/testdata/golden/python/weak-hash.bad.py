import hashlib


def hash_password(password):
    return hashlib.md5(password.encode()).hexdigest()


def sign(data, secret):
    return hashlib.sha1(secret + data).hexdigest()


def token_digest(token):
    return hashlib.new("md5", token.encode()).hexdigest()


def register(user, text):
    # Nothing around the hash says what it is for; where it goes does.
    digest = hashlib.md5(text.encode()).hexdigest()
    user.set_password(digest)

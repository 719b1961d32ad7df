import hashlib


def hash_password(password, salt):
    return hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1)


def file_checksum(data):
    return hashlib.md5(data).hexdigest()


def cache_key(url):
    return hashlib.sha1(url.encode(), usedforsecurity=False).hexdigest()


def remember(response, body):
    # An MD5 that only names content for a cache protects nothing.
    digest = hashlib.md5(body).hexdigest()
    response.set_etag(digest)

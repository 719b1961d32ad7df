import random
import string


def reset_token():
    return "".join(random.choice(string.ascii_letters) for _ in range(32))


def make_password():
    password = str(random.randint(100000, 999999))
    return password

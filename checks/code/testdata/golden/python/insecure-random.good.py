import random
import secrets


def reset_token():
    return secrets.token_urlsafe(32)


def pick_colour(colours):
    return random.choice(colours)

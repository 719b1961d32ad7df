import os
from pathlib import Path


def publish(path):
    os.chmod(path, 0o777)
    Path(path).chmod(0o666)

from Crypto.Cipher import AES, ARC4, DES


def enc(key, data):
    DES.new(key, DES.MODE_CBC)
    ARC4.new(key)
    return AES.new(key, AES.MODE_ECB).encrypt(data)

const crypto = require("crypto");

function enc(key, data) {
  const c = crypto.createCipheriv("des-ede3-cbc", key, Buffer.alloc(8));
  const e = crypto.createCipheriv("aes-128-ecb", key, null);
  return [c.update(data), e.update(data)];
}

module.exports = { enc };

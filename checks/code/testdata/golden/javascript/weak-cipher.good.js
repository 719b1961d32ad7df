const crypto = require("crypto");

function enc(key, data) {
  const iv = crypto.randomBytes(12);
  const c = crypto.createCipheriv("aes-256-gcm", key, iv);
  return Buffer.concat([iv, c.update(data), c.final(), c.getAuthTag()]);
}

module.exports = { enc };

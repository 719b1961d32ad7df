const crypto = require("crypto");

function hashPassword(password, salt) {
  return crypto.scryptSync(password, salt, 64).toString("hex");
}

function etag(body) {
  return crypto.createHash("md5").update(body).digest("hex");
}

module.exports = { hashPassword, etag };

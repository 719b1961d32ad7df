const crypto = require("crypto");

function hashPassword(password, salt) {
  return crypto.scryptSync(password, salt, 64).toString("hex");
}

function etag(body) {
  return crypto.createHash("md5").update(body).digest("hex");
}

// An MD5 that only names content for a cache protects nothing.
function remember(res, body) {
  const digest = crypto.createHash("md5").update(body).digest("hex");
  res.setETag(digest);
}

module.exports = { hashPassword, etag, remember };

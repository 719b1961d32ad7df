const crypto = require("crypto");

function resetToken() {
  return crypto.randomBytes(32).toString("hex");
}

function jitter(ms) {
  return ms + Math.floor(Math.random() * 100);
}

module.exports = { resetToken, jitter };

const crypto = require("crypto");

function hashPassword(password) {
  return crypto.createHash("md5").update(password).digest("hex");
}

// Nothing around the hash says what it is for; where it goes does.
function register(user, text) {
  const digest = crypto.createHash("md5").update(text).digest("hex");
  user.setPassword(digest);
}

module.exports = { hashPassword, register };

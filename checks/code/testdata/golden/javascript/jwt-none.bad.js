const jwt = require("jsonwebtoken");

function claims(token, key) {
  return jwt.verify(token, key, { algorithms: ["none", "HS256"] });
}

module.exports = { claims };

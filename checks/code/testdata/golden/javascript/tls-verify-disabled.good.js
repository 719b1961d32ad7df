const fs = require("fs");
const https = require("https");

const agent = new https.Agent({ ca: fs.readFileSync("/etc/ssl/internal-ca.pem") });

module.exports = { agent };

const https = require("https");
const tls = require("tls");

const agent = new https.Agent({ minVersion: "TLSv1.2", keepAlive: true });

const server = tls.createServer({ minVersion: "TLSv1.3", key: process.env.KEY, cert: process.env.CERT });

module.exports = { agent, server };

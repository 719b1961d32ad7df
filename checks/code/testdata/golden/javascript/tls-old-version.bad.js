const https = require("https");
const tls = require("tls");

// A client that still accepts TLS 1.0.
const agent = new https.Agent({ minVersion: "TLSv1", keepAlive: true });

// A server pinned to TLS 1.1.
const server = tls.createServer({ secureProtocol: "TLSv1_1_method", key: process.env.KEY, cert: process.env.CERT });

module.exports = { agent, server };

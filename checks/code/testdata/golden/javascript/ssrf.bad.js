const axios = require("axios");
const express = require("express");

const app = express();

app.get("/proxy", async (req, res) => {
  const r = await axios.get(req.query.url);
  res.json(r.data);
});

app.post("/hook", async (req, res) => {
  await fetch(`http://${req.body.host}/notify`);
  res.end();
});

// A server-side headless browser renders markup from the request.
const puppeteer = require("puppeteer");
const wkhtmltopdf = require("wkhtmltopdf");
app.post("/render", async (req, res) => {
  const browser = await puppeteer.launch();
  const page = await browser.newPage();
  await page.setContent(`<main>${req.body.html}</main>`);
  wkhtmltopdf(req.body.html, { output: "out.pdf" });
  res.end();
});

// Script from the request evaluated in the server's headless browser.
app.post("/scrape", async (req, res) => {
  const browser = await puppeteer.launch();
  const page = await browser.newPage();
  res.json(await page.evaluate("document.querySelector('" + req.body.selector + "').href"));
});

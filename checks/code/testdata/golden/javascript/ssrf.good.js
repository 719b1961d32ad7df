const axios = require("axios");
const express = require("express");

const app = express();

app.get("/user", async (req, res) => {
  const r = await axios.get(`https://api.example.com/users/${encodeURIComponent(req.query.id)}`);
  res.json(r.data);
});

// Markup from a constant template; the request picks only escaped text.
const puppeteer = require("puppeteer");
const escapeHtml = require("escape-html");
const wkhtmltopdf = require("wkhtmltopdf");
app.post("/render", async (req, res) => {
  const browser = await puppeteer.launch();
  const page = await browser.newPage();
  await page.setContent(`<main>${escapeHtml(req.body.title)}</main>`);
  wkhtmltopdf("<h1>Report</h1>", { output: "out.pdf" });
  res.end();
});

// The page script is fixed; the request's value is passed as an argument.
app.post("/scrape", async (req, res) => {
  const browser = await puppeteer.launch();
  const page = await browser.newPage();
  res.json(await page.evaluate((sel) => document.querySelector(sel).href, req.body.selector));
});

// In the browser the page's own URL chooses what the visitor's browser
// fetches; the server makes no request.
async function loadShared() {
  const params = new URLSearchParams(window.location.search);
  const res = await fetch(params.get("u"));
  return res.text();
}

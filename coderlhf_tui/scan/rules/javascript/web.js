const fs = require("fs");
const path = require("path");
const https = require("https");
const axios = require("axios");
const jwt = require("jsonwebtoken");
const serialize = require("node-serialize");

function routes(app) {
  app.get("/file", (req, res) => {
    // ruleid: js-path-from-request, js-fs-non-literal-path
    fs.readFile(path.join("/srv/files", req.query.name), (err, data) => res.end(data));
  });
  app.get("/safe", (req, res) => {
    const name = path.basename(req.query.name);
    // ok: js-path-from-request
    res.sendFile(path.join("/srv/files", name));
  });
  app.get("/hello", (req, res) => {
    // ruleid: js-xss-request-in-response
    res.send("<h1>Hello " + req.query.who + "</h1>");
  });
  app.get("/json", (req, res) => {
    // ok: js-xss-request-in-response
    res.json({ who: req.query.who });
  });
  app.get("/proxy", async (req, res) => {
    // ruleid: js-ssrf-request-url
    const r = await fetch(req.query.url);
    // ok: js-ssrf-request-url
    const s = await fetch("https://api.example.com/status", { signal: AbortSignal.timeout(5000) });
    res.json({ a: await r.text(), b: await s.text() });
  });
}

function readConfig() {
  // ok: js-fs-non-literal-path
  return fs.readFileSync("/etc/app.json", "utf8");
}

function render(el, comment, name) {
  // ruleid: js-xss-html-sink
  el.innerHTML = "<p>" + comment + "</p>";
  // ruleid: js-xss-html-sink
  document.write(name);
  // ok: js-xss-html-sink
  el.textContent = comment;
  // ok: js-xss-html-sink
  el.innerHTML = "";
}

function tls() {
  // ruleid: js-tls-verification-disabled
  const agent = new https.Agent({ rejectUnauthorized: false });
  // ok: js-tls-verification-disabled
  const good = new https.Agent({ keepAlive: true });
  return [agent, good];
}

function claims(token, key) {
  // ruleid: js-jwt-not-verified
  const a = jwt.decode(token);
  // ok: js-jwt-not-verified
  const b = jwt.verify(token, key, { algorithms: ["HS256"] });
  return [a, b];
}

function parse(libxmljs, xml) {
  // ruleid: js-xml-external-entities
  const doc = libxmljs.parseXml(xml, { noent: true });
  // ok: js-xml-external-entities
  const safe = libxmljs.parseXml(xml, { noent: false });
  return [doc, safe];
}

function session(cookie) {
  // ruleid: js-unsafe-deserialization
  const obj = serialize.unserialize(cookie);
  // ok: js-unsafe-deserialization
  const data = JSON.parse(cookie);
  return [obj, data];
}

async function poll(url) {
  // ruleid: js-request-without-timeout
  const a = await axios.get(url);
  // ok: js-request-without-timeout
  const b = await axios.get(url, { timeout: 5000 });
  return [a, b];
}

module.exports = { routes, readConfig, render, tls, claims, parse, session, poll };

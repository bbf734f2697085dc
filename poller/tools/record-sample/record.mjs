// Records a small page with rrweb's real recorder in Chromium, the way a person would use it, and writes the events.
//   node record.mjs sample <out.json> <out.jsonl>   a short session: typing, a failing save (console error + HTTP 500),
//                                                   a rage click and a dead click; rrweb array + PostHog JSONL
//   node record.mjs busy <out.jsonl> <megabytes>    a busy page (constant DOM churn) until the JSONL reaches the size
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const [mode, out, third] = process.argv.slice(2);
const rrwebJs = fs.readFileSync(path.join(here, 'node_modules/rrweb/dist/rrweb.umd.cjs'));
const consoleJs = fs.readFileSync(path.join(here,
  'node_modules/@rrweb/rrweb-plugin-console-record/dist/rrweb-plugin-console-record.umd.cjs'));

// rrweb has no network plugin of its own; this one records fetches in the shape posthog-js's rrweb/network@1 uses.
const networkPlugin = `
window.networkPlugin = {
  name: 'rrweb/network@1',
  options: {},
  observer(callback, win) {
    const original = win.fetch.bind(win);
    win.fetch = async (input, init = {}) => {
      const started = win.performance.now();
      const url = new URL(typeof input === 'string' ? input : input.url, win.location.href).href;
      const method = (init.method || 'GET').toUpperCase();
      const requestHeaders = Object.assign({}, init.headers || {});
      const entry = { name: url, method, entryType: 'resource', initiatorType: 'fetch', startTime: started,
        timeOrigin: win.performance.timeOrigin, timestamp: Date.now(), requestHeaders, isInitial: false };
      try {
        const response = await original(input, init);
        const ended = win.performance.now();
        const responseHeaders = {};
        response.headers.forEach((value, key) => { responseHeaders[key] = value; });
        callback({ requests: [Object.assign(entry, { status: response.status, responseStatus: response.status,
          endTime: ended, duration: ended - started, responseHeaders })] });
        return response;
      } catch (error) {
        const ended = win.performance.now();
        callback({ requests: [Object.assign(entry, { status: 0, endTime: ended, duration: ended - started })] });
        throw error;
      }
    };
    return () => { win.fetch = original; };
  },
};`;

const samplePage = `<!doctype html><html><head><title>Checkout</title>
<style>body{font-family:sans-serif;margin:40px} button{padding:8px 16px;margin:4px} .err{color:#b00}</style>
<script>${rrwebJs}</script><script>${consoleJs}</script><script>${networkPlugin}</script>
<script>
window.events = [];
rrweb.record({ emit(e) { window.events.push(e); },
  plugins: [rrwebPluginConsoleRecord.getRecordConsolePlugin({ level: ['info', 'log', 'warn', 'error'] }), networkPlugin] });
</script></head><body>
<h1>Checkout</h1>
<label>Email <input id="email" type="email"></label>
<p><button id="save">Save order</button> <button id="coupon">Apply coupon</button></p>
<p id="status"></p>
<script>
document.getElementById('save').addEventListener('click', async () => {
  document.getElementById('status').textContent = 'Saving…';
  const response = await fetch('/api/orders', { method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Authorization': 'Bearer sk_live_51HxTrufflesSampleSecretToken0001' },
    body: JSON.stringify({ email: document.getElementById('email').value }) });
  if (!response.ok) {
    document.getElementById('status').className = 'err';
    document.getElementById('status').textContent = 'Something went wrong';
    console.error(new Error('Order save failed with HTTP ' + response.status));
  }
});
// "Apply coupon" does nothing at all: the dead click, and the rage click when the user insists
</script></body></html>`;

const busyPage = `<!doctype html><html><head><title>Dashboard</title>
<script>${rrwebJs}</script><script>${consoleJs}</script><script>${networkPlugin}</script>
<script>
window.events = [];
rrweb.record({ emit(e) { window.events.push(e); },
  plugins: [rrwebPluginConsoleRecord.getRecordConsolePlugin({ level: ['error', 'warn'] }), networkPlugin] });
</script></head><body><h1>Live dashboard</h1><table id="t"></table>
<script>
let tick = 0;
setInterval(() => {
  const table = document.getElementById('t');
  table.innerHTML = '';
  for (let r = 0; r < 20; r++) {
    const row = table.insertRow();
    for (let c = 0; c < 8; c++) { row.insertCell().textContent = 'cell ' + r + ':' + c + ' value ' + (tick * 7 + r * c); }
  }
  if (tick % 50 === 0) { console.error('refresh ' + tick + ' was slow'); fetch('/api/metrics?tick=' + tick); }
  tick++;
}, 50);
</script></body></html>`;

const server = http.createServer((req, res) => {
  if (req.url === '/') {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(mode === 'busy' ? busyPage : samplePage);
  } else if (req.url.startsWith('/api/orders')) {
    res.writeHead(500, { 'Content-Type': 'application/json', 'Set-Cookie': 'session=abc123secret; HttpOnly' });
    res.end('{"error":"database unavailable"}');
  } else if (req.url.startsWith('/api/metrics')) {
    res.writeHead(503, { 'Content-Type': 'application/json' });
    res.end('{"error":"over capacity"}');
  } else {
    res.writeHead(404);
    res.end();
  }
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = 'http://127.0.0.1:' + server.address().port + '/';

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
await page.goto(base);
const windowId = crypto.randomUUID();

if (mode === 'busy') {
  const limit = Number(third || 50) * 1024 * 1024;
  const stream = fs.createWriteStream(out);
  let written = 0;
  while (written < limit) {
    await page.waitForTimeout(1000);
    const batch = await page.evaluate(() => window.events.splice(0, window.events.length));
    let chunk = '';
    for (const event of batch) {
      chunk += JSON.stringify([windowId, event]) + '\n';
    }
    written += Buffer.byteLength(chunk);
    if (!stream.write(chunk)) {
      await new Promise((resolve) => stream.once('drain', resolve));
    }
    console.log(`${written} bytes`);
    await page.mouse.move(100 + (written % 500), 200);
  }
  await new Promise((resolve) => stream.end(resolve));
  console.log(`wrote ${written} bytes to ${out}`);
} else {
  await page.waitForTimeout(500);
  await page.click('#email');
  await page.keyboard.type('ada@example.com', { delay: 90 });
  await page.waitForTimeout(400);
  await page.click('#save');
  await page.waitForSelector('.err');
  await page.waitForTimeout(800);
  await page.click('#coupon');          // dead click: nothing happens
  await page.waitForTimeout(3000);
  for (let i = 0; i < 4; i++) {         // rage click: the user insists
    await page.click('#coupon', { position: { x: 20 + i, y: 10 } });
    await page.waitForTimeout(150);
  }
  await page.waitForTimeout(1000);
  const events = await page.evaluate(() => window.events);
  fs.writeFileSync(out, JSON.stringify(events));
  fs.writeFileSync(third, events.map((event) => JSON.stringify([windowId, event])).join('\n') + '\n');
  console.log(`recorded ${events.length} events`);
}
await browser.close();
server.close();

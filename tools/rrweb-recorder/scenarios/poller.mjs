// The poller's recordings: a small checkout page recorded the way a person would use it.
//   node record.mjs poller sample <out.json> <out.jsonl>   a short session: typing, a failing save (console error + HTTP
//                                                          500, with headers), a rage click and a dead click; rrweb
//                                                          array + PostHog JSONL (poller/src/main/resources/samples,
//                                                          poller/src/test/resources/recordings)
//   node record.mjs poller busy <out.jsonl> <megabytes>    a busy page (constant DOM churn) until the JSONL reaches the
//                                                          size (the poller's DecodeBenchmark)
import fs from 'node:fs';
import crypto from 'node:crypto';
import { json, launchChromium, newPage, recorderScripts, servePage } from '../recorder.mjs';

const samplePage = `<!doctype html><html><head><title>Checkout</title>
<style>body{font-family:sans-serif;margin:40px} button{padding:8px 16px;margin:4px} .err{color:#b00}</style>
${recorderScripts({ networkHeaders: true })}</head><body>
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
${recorderScripts({ consoleLevels: ['error', 'warn'], networkHeaders: true })}</head><body><h1>Live dashboard</h1><table id="t"></table>
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

export async function record([mode, out, third]) {
  const server = await servePage(mode === 'busy' ? busyPage : samplePage, {
    '/api/orders': (req, res) => json(res, 500, { error: 'database unavailable' },
      { 'Set-Cookie': 'session=abc123secret; HttpOnly' }),
    '/api/metrics': (req, res) => json(res, 503, { error: 'over capacity' }),
  });

  const browser = await launchChromium();
  const page = await newPage(browser);
  await page.goto(server.base);
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
}

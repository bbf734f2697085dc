// Records the analyzer's detector test recordings: real pages, rrweb's real recorder (console plugin and a network
// plugin in posthog-js's rrweb/network@1 shape), driven in Chromium the way a person would use them.
//   node record.mjs analyzer problems <out.rrweb.json> <out.expected.json>
//       a page with a 500 response, a thrown error, a dead click and (after an idle stretch) a rage click; the
//       expected file holds when each was done, in seconds from the recording's first event, measured by this
//       script's clock (not read back from the events), so the detectors are checked against what really happened
//   node record.mjs analyzer calm <out.rrweb.json> <out.expected.json>
//       a session where everything works: typing, a button that answers with a successful request, a button that
//       answers only by scrolling (half a second later, after its animation), the user's own scroll; each click is
//       followed by more than 2.5 s of recording, so the dead-click detector judges it; the expected file holds when
//       the two buttons were clicked
//   node record.mjs analyzer busy <out.rrweb.json>
//       a minute of a user working without pause on a live dashboard (a ticking clock, a filtered table, tabs, the
//       mouse always moving, scrolling): the event rate of continuous activity, which the analyzer's benchmark tiles
//       into long recordings; nothing goes wrong in it
//   node record.mjs analyzer corpus <out folder> [name]
//       the labelled corpus (corpus.mjs): five recordings with planted problems and three calm ones, each written as
//       <name>.rrweb.json with its ground truth <name>.truth.json (problem, kind, time, element), times measured by
//       this script's clock when it acted
// The results are committed under analyzer/src/test/resources/recordings/ (the corpus under
// analyzer/src/test/resources/corpus/).
import fs from 'node:fs';
import { json, launchChromium, newPage, recorderScripts, servePage } from '../recorder.mjs';

const head = (title) => `<!doctype html><html><head><title>${title}</title>
<style>body{font-family:sans-serif;margin:40px} button{padding:8px 16px;margin:4px} .err{color:#b00}
#list{height:160px;overflow:auto;border:1px solid #ccc} #list p{margin:0;padding:12px}</style>
${recorderScripts()}</head>`;

const problemsPage = `${head('Reports')}<body>
<h1>Monthly report</h1>
<p><button id="load">Load report</button> <button id="export">Export CSV</button>
<button id="share">Share</button></p>
<p id="status"></p>
<script>
document.getElementById('load').addEventListener('click', async () => {
  document.getElementById('status').textContent = 'Loading…';
  const response = await fetch('/api/reports/2026-11');
  if (!response.ok) {
    document.getElementById('status').className = 'err';
    document.getElementById('status').textContent = 'The report could not be loaded.';
  }
});
document.getElementById('export').addEventListener('click', () => {
  document.getElementById('status').textContent = 'Exporting…';
  const rows = undefined;
  // the bug: an uncaught TypeError in the click handler
  rows.map((row) => row.join(','));
});
// "Share" is wired to nothing: the dead click, and the rage click when the user insists
</script></body></html>`;

const calmPage = `${head('Profile')}<body>
<h1>Profile</h1>
<label>Name <input id="name"></label>
<p><button id="save">Save</button> <button id="latest">Show latest entry</button></p>
<p id="status"></p>
<div id="list">${Array.from({ length: 30 }, (_, i) => `<p>Entry ${i + 1}</p>`).join('')}</div>
<script>
document.getElementById('save').addEventListener('click', async () => {
  document.getElementById('status').textContent = 'Saving…';
  const response = await fetch('/api/profile', { method: 'PUT', body: document.getElementById('name').value });
  document.getElementById('status').textContent = response.ok ? 'Saved.' : 'Failed.';
});
// answers by scrolling only, once its (here simulated) collapse animation has run: no DOM change at all
document.getElementById('latest').addEventListener('click', () => {
  setTimeout(() => { const list = document.getElementById('list'); list.scrollTop = list.scrollHeight; }, 500);
});
</script></body></html>`;

const rows = Array.from({ length: 60 }, (_, i) =>
  `<tr><td>#${1000 + i}</td><td>${['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara'][i % 5]}</td>` +
  `<td>${['paid', 'open', 'shipped'][i % 3]}</td><td>${(i * 7.31 % 300).toFixed(2)} €</td></tr>`).join('');
const busyPage = `${head('Orders')}<body>
<h1>Orders <small id="clock"></small></h1>
<p><button class="tab" data-tab="all">All</button> <button class="tab" data-tab="open">Open</button>
<button class="tab" data-tab="shipped">Shipped</button> <label>Search <input id="search"></label></p>
<table id="orders"><tbody>${rows}</tbody></table>
<div style="height:1200px"></div>
<script>
setInterval(() => { document.getElementById('clock').textContent = new Date().toLocaleTimeString(); }, 1000);
const filter = () => {
  const text = document.getElementById('search').value.toLowerCase();
  const tab = document.body.dataset.tab || 'all';
  for (const row of document.querySelectorAll('#orders tr')) {
    const shown = row.textContent.toLowerCase().includes(text) && (tab === 'all' || row.textContent.includes(tab));
    row.style.display = shown ? '' : 'none';
  }
};
document.getElementById('search').addEventListener('input', filter);
for (const tab of document.querySelectorAll('.tab')) {
  tab.addEventListener('click', () => { document.body.dataset.tab = tab.dataset.tab; filter(); });
}
</script></body></html>`;

export async function record([mode, out, expectedOut]) {
  if (mode === 'corpus') {
    const { recordCorpus } = await import('./corpus.mjs');
    await recordCorpus({ head, outDir: out, only: expectedOut });
    return;
  }

  const server = await servePage({ calm: calmPage, busy: busyPage }[mode] || problemsPage, {
    '/api/reports': (req, res) => json(res, 500, { error: 'report service unavailable' }),
    '/api/profile': (req, res) => json(res, 200, { ok: true }),
  });

  const browser = await launchChromium();
  const page = await newPage(browser);
  await page.goto(server.base);
  const firstEventAt = await page.evaluate(() => window.events[0].timestamp);
  const expected = {};
  // when the user acted, in seconds from the first event, on this script's clock
  const now = () => (Date.now() - firstEventAt) / 1000;

  if (mode === 'calm') {
    await page.waitForTimeout(600);
    await page.click('#name');
    await page.keyboard.type('Ada Lovelace', { delay: 80 });
    expected.save = now();
    await page.click('#save');
    await page.waitForFunction(() => document.getElementById('status').textContent === 'Saved.');
    await page.waitForTimeout(3000);
    expected.latest = now();
    await page.click('#latest');
    await page.waitForTimeout(3000);
    const list = await page.locator('#list').boundingBox();
    await page.mouse.move(list.x + 40, list.y + 40);
    await page.mouse.wheel(0, -300);                              // the user scrolls back up on their own
    await page.waitForTimeout(1500);
  } else if (mode === 'busy') {
    // a minute of work with no pause: every step moves the mouse, and most change the page or scroll it
    const tabs = ['All', 'Open', 'Shipped'];
    for (let round = 0; now() < 60; round++) {
      await page.mouse.move(100 + (round * 137) % 1000, 150 + (round * 89) % 450, { steps: 12 });
      if (round % 4 === 0) {
        await page.click(`text=${tabs[round % 3]}`);
      } else if (round % 4 === 1) {
        await page.click('#search');
        await page.keyboard.type(['ada', 'paid', '10', 'gr'][round % 4], { delay: 90 });
      } else if (round % 4 === 2) {
        await page.mouse.wheel(0, round % 8 === 2 ? 500 : -500);
      } else {
        await page.fill('#search', '');
      }
      await page.waitForTimeout(400);
    }
  } else {
    await page.waitForTimeout(1000);
    expected.failedRequest = now();
    await page.click('#load');
    await page.waitForSelector('.err');
    await page.waitForTimeout(2000);
    expected.thrownError = now();
    await page.click('#export');
    await page.waitForTimeout(2500);
    expected.deadClick = now();
    await page.click('#share', { position: { x: 30, y: 12 } });   // nothing happens
    await page.waitForTimeout(9000);                              // the user stares at the page: an idle stretch
    expected.rageClick = now();
    for (let i = 0; i < 5; i++) {                                 // then insists
      await page.click('#share', { position: { x: 20 + 2 * i, y: 10 + i } });
      await page.waitForTimeout(120);
    }
    await page.waitForTimeout(1500);
  }
  const events = await page.evaluate(() => window.events);
  fs.writeFileSync(out, JSON.stringify(events));
  if (expectedOut) {
    fs.writeFileSync(expectedOut, JSON.stringify(expected, null, 2) + '\n');
  }
  console.log(`recorded ${events.length} events over ${now().toFixed(1)} s`, expected);
  await browser.close();
  server.close();
}

// The renderer's test recording: page.html (renderer-shop.html here) recorded by rrweb's own recorder in Chromium,
// with reference screenshots of what the replay must show at three moments.
//
//   node record.mjs renderer [out folder]     (default: renderer/src/test/resources/recordings)
//
// The session is typed, scrolled, opens and confirms a modal, then sits idle. The 60 s idle gap is not recorded in
// real time: every event after the recorder's own idle point has its timestamp shifted by +60 s (GAP_MS), and so
// do the moments at which the reference screenshots were taken. The page records itself from the outside
// (addScriptTag after load, no console or network plugin, sampled mouse moves and scrolls), as it always has.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium, newPage, rrwebMinifiedPath } from '../recorder.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const GAP_MS = 60_000;

export async function record([outFolder]) {
  const out = outFolder || join(here, '..', '..', '..', 'renderer', 'src', 'test', 'resources', 'recordings');
  mkdirSync(out, { recursive: true });
  const browser = await launchChromium(['--disable-gpu']);
  const page = await newPage(browser);
  // Served from memory at a made-up address, so the recording carries a real-looking href and nothing goes online.
  await page.route('http://shop.truffles.test/**', (route) =>
    route.fulfill({ contentType: 'text/html', body: readFileSync(join(here, 'renderer-shop.html'), 'utf8') }));
  await page.goto('http://shop.truffles.test/');
  await page.addScriptTag({ path: rrwebMinifiedPath });
  await page.evaluate(() => {
    window.__events = [];
    window.rrweb.record({ emit: (event) => window.__events.push(event), sampling: { mousemove: 50, scroll: 100 } });
  });
  const moments = [];
  async function capture(name) {
    await page.waitForTimeout(400);
    const at = await page.evaluate(() => Date.now());
    await page.screenshot({ path: join(out, `form-modal-idle.${name}.png`) });
    moments.push({ name, at });
    await page.waitForTimeout(400);
  }

  await page.waitForTimeout(600);
  await page.mouse.move(200, 90, { steps: 10 });
  await page.click('#search');
  await page.keyboard.type('dark chocolate truffles', { delay: 90 });
  await capture('typed');
  await page.mouse.move(640, 400, { steps: 10 });
  for (let i = 0; i < 8; i++) {
    await page.mouse.wheel(0, 150);
    await page.waitForTimeout(120);
  }
  await page.waitForTimeout(300);
  for (let i = 0; i < 8; i++) {
    await page.mouse.wheel(0, -150);
    await page.waitForTimeout(120);
  }
  await page.waitForTimeout(400);
  await page.mouse.move(560, 90, { steps: 8 });
  await page.click('#open');
  await page.click('#note');
  await page.keyboard.type('no nuts please', { delay: 90 });
  await capture('modal');
  await page.click('#confirm');
  await page.waitForTimeout(500);
  const idleFrom = await page.evaluate(() => Date.now());
  // The idle gap starts here: everything later is shifted by GAP_MS.
  await page.waitForTimeout(300);
  await page.mouse.move(300, 300, { steps: 10 });
  await page.mouse.wheel(0, 400);
  await page.waitForTimeout(600);
  await capture('after-idle');
  await page.mouse.move(320, 320, { steps: 5 });
  await page.waitForTimeout(300);

  const events = await page.evaluate(() => window.__events);
  await browser.close();
  for (const event of events) {
    if (event.timestamp > idleFrom) event.timestamp += GAP_MS;
  }
  for (const moment of moments) {
    if (moment.at > idleFrom) moment.at += GAP_MS;
  }
  events.sort((a, b) => a.timestamp - b.timestamp);
  const start = events[0].timestamp;
  writeFileSync(join(out, 'form-modal-idle.json'), JSON.stringify(events));
  writeFileSync(join(out, 'form-modal-idle.moments.json'), JSON.stringify({
    gapMs: GAP_MS,
    idleFromOffsetMs: idleFrom - start,
    durationMs: events[events.length - 1].timestamp - start,
    moments: moments.map((m) => ({ name: m.name, offsetMs: m.at - start })),
  }, null, 2));
  console.log(`${events.length} events, ${(events[events.length - 1].timestamp - start) / 1000} s`);
}

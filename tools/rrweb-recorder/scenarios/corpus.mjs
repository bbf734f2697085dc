// The analyzer's labelled corpus: small real recordings (rrweb in Debian's Chromium, through record.mjs's recorder)
// of pages with planted problems, and calm ones where everything works, each with its ground truth. Every problem is
// planted in the page (a handler that throws, an endpoint that answers 500 or never answers, a control wired to
// nothing) and every time in the truth file is when this script acted, on its own clock, never read back from the
// events. Each page is one document (navigation inside it is pushState), so one recorder sees the whole session.
import fs from 'node:fs';
import path from 'node:path';
import { json, launchChromium, newPage, servePage } from '../recorder.mjs';

const style = `<style>body{font-family:sans-serif;margin:32px} button{padding:8px 16px;margin:4px}
.error{color:#b00} .modal{position:fixed;inset:0;background:rgba(0,0,0,.4);display:flex;align-items:center;
justify-content:center} .modal>div{background:#fff;padding:24px} .spinner{width:24px;height:24px;
border:3px solid #ccc;border-top-color:#333;border-radius:50%;animation:spin 1s linear infinite}
@keyframes spin{to{transform:rotate(360deg)}} article p{line-height:1.6;max-width:640px}</style>`;

const later = (ms, fn) => setTimeout(fn, ms);
const never = () => {};                                   // the request hangs until the browser goes away

const scenarios = {
  // a save that fails and tells the user nothing; a help link wired to nothing
  billing: {
    body: `<h1>Billing settings</h1>
<label>Company <input id="company" value="Acme"></label>
<p><button id="save-billing">Save billing settings</button> <a href="#" id="help">Help</a></p>
<p id="status"></p>
<script>
document.getElementById('save-billing').addEventListener('click', async () => {
  const response = await fetch('/api/billing', { method: 'POST', body: document.getElementById('company').value });
  if (!response.ok) console.error('Save failed', response.status);   // the user is told nothing
});
document.getElementById('help').addEventListener('click', (event) => event.preventDefault());
</script>`,
    routes: { '/api/billing': (req, res) => json(res, 500, { error: 'ledger unavailable' }) },
    async act(page, at) {
      await page.waitForTimeout(1000);
      at('Saving billing settings fails silently (POST /api/billing → 500, nothing shown)', 'silent_failure',
        '#save-billing');
      await page.click('#save-billing');
      await page.waitForTimeout(4000);
      at('The Help link does nothing', 'dead_control', '#help');
      await page.click('#help');
      await page.waitForTimeout(3500);
    },
  },
  // a refund that fails silently and the user hammering it; a click handler that throws; a failing background poll
  orders: {
    body: `<h1>Order #42</h1>
<p><button id="refund">Refund</button> <button id="print">Print invoice</button></p>
<p id="status">Paid, 3 items</p>
<script>
const poll = () => fetch('/api/notifications').catch(() => {});
// background: nobody clicked anything (started once the page, and so the recorder, is up)
window.addEventListener('load', () => { poll(); setInterval(poll, 2500); });
document.getElementById('refund').addEventListener('click', () => {
  fetch('/api/orders/42/refund', { method: 'POST' });                 // the answer is never looked at
});
document.getElementById('print').addEventListener('click', () => {
  const invoice = window.invoices[42];                                // the bug: window.invoices is undefined
  window.print(invoice);
});
</script>`,
    routes: {
      '/api/notifications': (req, res) => json(res, 503, { error: 'notifications down' }),
      '/api/orders/42/refund': (req, res) => json(res, 500, { error: 'payment provider timeout' }),
    },
    async act(page, at) {
      at('The notifications poll fails in the background (GET /api/notifications → 503)', 'background_error', null);
      await page.waitForTimeout(1200);
      at('Refund fails silently and the user clicks it again and again (POST /api/orders/:id/refund → 500)',
        'rage_on_failing_control', '#refund');
      await page.click('#refund');
      await page.waitForTimeout(700);
      for (let i = 0; i < 5; i++) {
        await page.click('#refund', { position: { x: 20 + i, y: 12 } });
        await page.waitForTimeout(150);
      }
      await page.waitForTimeout(3500);
      at('Print invoice throws a TypeError and does nothing', 'exception_behind_click', '#print');
      await page.click('#print');
      await page.waitForTimeout(3500);
    },
  },
  // a report that never finishes behind a modal; sharing that shows an error without any console error
  reports: {
    body: `<h1>Reports</h1>
<p><button id="share">Send to team</button> <button id="generate">Generate report</button></p>
<div id="banner"></div>
<script>
document.getElementById('share').addEventListener('click', async () => {
  const result = await (await fetch('/api/share', { method: 'POST' })).json();
  if (!result.ok) {
    document.getElementById('banner').innerHTML =
      '<div role="alert" class="error">Something went wrong while sharing. Try again.</div>';
  }
});
document.getElementById('generate').addEventListener('click', async () => {
  const modal = document.createElement('div');
  modal.className = 'modal';
  modal.innerHTML = '<div role="dialog" aria-modal="true"><div class="spinner"></div><p>Processing…</p></div>';
  document.body.appendChild(modal);
  await fetch('/api/reports', { method: 'POST' });                    // never answers
  modal.remove();
});
</script>`,
    routes: {
      '/api/share': (req, res) => json(res, 200, { ok: false, error: 'quota' }),
      '/api/reports': never,
    },
    async act(page, at) {
      await page.waitForTimeout(1000);
      at('Sending to the team shows "Something went wrong" (no console error, no failed request)', 'error_banner',
        '#share');
      await page.click('#share');
      await page.waitForTimeout(3000);
      at('Generating a report hangs on "Processing…" in a modal', 'hung_spinner_blocking', '#generate');
      await page.click('#generate');
      await page.waitForTimeout(11500);
    },
  },
  // two different failing buttons on one page; an activity list that never finishes loading
  team: {
    body: `<h1>Team</h1>
<p><button id="invite">Invite member</button> <button id="remove">Remove Grace</button>
<button id="activity">Load activity</button></p>
<p id="invite-status"></p><div id="activity-list"></div>
<script>
document.getElementById('invite').addEventListener('click', async () => {
  const response = await fetch('/api/invites', { method: 'POST' });
  if (!response.ok) {
    const status = document.getElementById('invite-status');
    status.className = 'error';
    status.textContent = 'Could not send the invite.';
  }
});
document.getElementById('remove').addEventListener('click', () => {
  fetch('/api/members/7', { method: 'DELETE' });                      // silent
});
document.getElementById('activity').addEventListener('click', async () => {
  document.getElementById('activity-list').textContent = 'Loading activity…';
  const response = await fetch('/api/activity');                      // never answers
  document.getElementById('activity-list').textContent = await response.text();
});
</script>`,
    routes: {
      '/api/invites': (req, res) => json(res, 500, { error: 'mailer down' }),
      '/api/members/7': (req, res) => json(res, 500, { error: 'constraint violation' }),
      '/api/activity': never,
    },
    async act(page, at) {
      await page.waitForTimeout(1000);
      at('Inviting a member fails with an error shown (POST /api/invites → 500)', 'failure_with_banner', '#invite');
      await page.click('#invite');
      await page.waitForTimeout(3000);
      at('Removing a member fails silently (DELETE /api/members/:id → 500)', 'silent_failure', '#remove');
      await page.click('#remove');
      await page.waitForTimeout(3000);
      at('Loading activity stays on "Loading activity…"', 'hung_spinner', '#activity');
      await page.click('#activity');
      await page.waitForTimeout(11500);
    },
  },
  // a coupon button that throws; a terms link wired to nothing; placing the order ends on an error page
  checkout: {
    body: `<h1>Checkout</h1>
<label>Coupon <input id="coupon"></label> <button id="apply">Apply coupon</button>
<p><a href="#" id="terms">Terms of sale</a></p>
<p><button id="place">Place order</button></p>
<main id="view">Your basket: 2 items, 54.00 €</main>
<script>
document.getElementById('apply').addEventListener('click', () => {
  applyDiscount(document.getElementById('coupon').value);             // the bug: applyDiscount does not exist
});
document.getElementById('terms').addEventListener('click', (event) => event.preventDefault());
document.getElementById('place').addEventListener('click', async () => {
  const response = await fetch('/api/checkout', { method: 'POST' });
  history.pushState({}, '', '/checkout/done');
  document.getElementById('view').innerHTML = response.ok ? '<h2>Thank you!</h2>'
    : '<h2>502 Bad Gateway</h2><p>Something went wrong on our side. Your order was not placed.</p>';
});
</script>`,
    routes: { '/api/checkout': (req, res) => json(res, 502, { error: 'upstream' }) },
    async act(page, at) {
      await page.waitForTimeout(1000);
      await page.fill('#coupon', 'WINTER10');
      at('Apply coupon throws a ReferenceError and does nothing', 'exception_behind_click', '#apply');
      await page.click('#apply');
      await page.waitForTimeout(3000);
      at('The Terms of sale link does nothing', 'dead_control', '#terms');
      await page.click('#terms');
      await page.waitForTimeout(3000);
      at('Placing the order ends on a 502 error page (POST /api/checkout → 502)', 'error_page_after_action', '#place');
      await page.click('#place');
      await page.waitForTimeout(3500);
    },
  },
  // calm: navigation inside a single-page app, each view loading for a second or three
  spa: {
    calm: true,
    body: `<nav><button data-view="home">Home</button> <button data-view="products">Products</button>
<button data-view="pricing">Pricing</button> <button data-view="about">About</button></nav>
<main id="view">Loading…</main>
<script>
const show = async (view) => {
  document.getElementById('view').textContent = 'Loading…';
  const page = await (await fetch('/api/views/' + view)).json();
  history.pushState({}, '', '/' + view);
  document.getElementById('view').innerHTML = '<h1>' + page.title + '</h1><p>' + page.text + '</p>';
};
for (const button of document.querySelectorAll('nav button')) {
  button.addEventListener('click', () => show(button.dataset.view));
}
show('home');
</script>`,
    routes: {
      '/api/views/': (req, res) => {
        const view = req.url.split('/').pop();
        const delay = { home: 1200, products: 2500, pricing: 800, about: 3000 }[view] || 500;
        later(delay, () => json(res, 200, { title: view[0].toUpperCase() + view.slice(1),
          text: 'Everything about ' + view + ', in a few friendly sentences.' }));
      },
    },
    async act(page) {
      await page.waitForTimeout(2000);
      for (const view of ['Products', 'Pricing', 'About', 'Home']) {
        await page.click(`text=${view}`);
        await page.waitForTimeout(4000);
      }
    },
  },
  // calm: forms that succeed, one of them behind a payment modal that takes 8 s (under the 10 s of a hung state)
  forms: {
    calm: true,
    body: `<h1>Your profile</h1>
<label>Name <input id="name"></label> <label>Email <input id="email"></label>
<p><button id="save">Save profile</button> <span id="saved"></span></p>
<p><button id="pay">Pay 54.00 €</button> <span id="paid"></span></p>
<script>
document.getElementById('save').addEventListener('click', async () => {
  document.getElementById('saved').textContent = 'Saving…';
  const response = await fetch('/api/profile', { method: 'PUT' });
  document.getElementById('saved').textContent = response.ok ? 'Saved.' : 'Not saved.';
});
document.getElementById('pay').addEventListener('click', async () => {
  const modal = document.createElement('div');
  modal.className = 'modal';
  modal.innerHTML = '<div role="dialog" aria-modal="true"><div class="spinner"></div><p>Processing payment…</p></div>';
  document.body.appendChild(modal);
  await fetch('/api/payments', { method: 'POST' });
  modal.remove();
  document.getElementById('paid').textContent = 'Payment confirmed, thank you.';
});
</script>`,
    routes: {
      '/api/profile': (req, res) => later(1000, () => json(res, 200, { ok: true })),
      '/api/payments': (req, res) => later(8000, () => json(res, 200, { ok: true })),
    },
    async act(page) {
      await page.waitForTimeout(800);
      await page.click('#name');
      await page.keyboard.type('Grace Hopper', { delay: 60 });
      await page.click('#email');
      await page.keyboard.type('grace@example.com', { delay: 60 });
      await page.click('#save');
      await page.waitForFunction(() => document.getElementById('saved').textContent === 'Saved.');
      await page.waitForTimeout(2000);
      await page.click('#pay');
      await page.waitForFunction(() => document.getElementById('paid').textContent !== '', null,
        { timeout: 15000 });
      await page.waitForTimeout(3000);
    },
  },
  // calm: a long article read for half a minute, scrolled, a section expanded, a link copied
  reading: {
    calm: true,
    body: `<h1>A field guide to truffles</h1>
<p><button id="more">Show the next chapter</button> <button id="copy">Copy link</button> <span id="copied"></span></p>
<article id="article">${Array.from({ length: 14 }, (_, i) => `<h2>Chapter ${i + 1}</h2><p>${
  'Truffles grow underground near the roots of oak and hazel trees, and dogs find them by their scent. '.repeat(6)
}</p>`).join('')}</article>
<script>
let chapter = 14;
document.getElementById('more').addEventListener('click', () => {
  chapter++;
  document.getElementById('article').insertAdjacentHTML('beforeend',
    '<h2>Chapter ' + chapter + '</h2><p>The season runs from late autumn into winter.</p>');
});
document.getElementById('copy').addEventListener('click', () => {
  document.getElementById('copied').textContent = 'Link copied.';
});
</script>`,
    routes: {},
    async act(page) {
      await page.waitForTimeout(1500);
      await page.click('#copy');
      await page.waitForTimeout(2000);
      await page.mouse.move(400, 400);
      for (let i = 0; i < 12; i++) {
        await page.mouse.wheel(0, i === 6 ? -900 : 450);
        await page.waitForTimeout(2200);
      }
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.waitForTimeout(800);
      await page.click('#more');
      await page.waitForTimeout(3500);
    },
  },
};

async function record(name, scenario, head, browser, outDir) {
  const html = `${head(name)}<body>${style}${scenario.body}</body></html>`;
  const server = await servePage(html, scenario.routes);
  const page = await newPage(browser);
  await page.goto(server.base + name);
  const firstEventAt = await page.evaluate(() => window.events[0].timestamp);
  const now = () => (Date.now() - firstEventAt) / 1000;
  const problems = [];
  const at = (problem, kind, element, time) => problems.push({ problem, kind,
    time: Math.round((time ?? now()) * 1000) / 1000, element });
  await scenario.act(page, at);
  // the user moves the mouse before leaving, so the recording runs past the last wait (a click is judged dead, a
  // loading state hung, only when the recording shows what came after it)
  await page.mouse.move(700, 500, { steps: 4 });
  await page.waitForTimeout(200);
  const events = await page.evaluate(() => window.events);
  await page.close();
  server.close();
  fs.writeFileSync(path.join(outDir, name + '.rrweb.json'), JSON.stringify(events));
  fs.writeFileSync(path.join(outDir, name + '.truth.json'), JSON.stringify({
    recording: name + '.rrweb.json', calm: Boolean(scenario.calm), problems }, null, 2) + '\n');
  console.log(`${name}: ${events.length} events over ${now().toFixed(1)} s, ${problems.length} planted problems`);
}

export async function recordCorpus({ head, outDir, only }) {
  fs.mkdirSync(outDir, { recursive: true });
  const browser = await launchChromium();
  try {
    for (const [name, scenario] of Object.entries(scenarios)) {
      if (!only || only === name) {
        await record(name, scenario, head, browser, outDir);
      }
    }
  } finally {
    await browser.close();
  }
}

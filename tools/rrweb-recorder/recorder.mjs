// What every Truffles test recording is made with: rrweb's real recorder (and its console plugin) from this folder's
// node_modules, a network plugin in posthog-js's rrweb/network@1 shape, a local server for the page, and Debian's
// Chromium driven by Playwright. The scenarios (scenarios/*.mjs) say what the user does.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const modules = path.join(path.dirname(fileURLToPath(import.meta.url)), 'node_modules');
const rrwebJs = fs.readFileSync(path.join(modules, 'rrweb/dist/rrweb.umd.cjs'));
const consoleJs = fs.readFileSync(path.join(modules,
  '@rrweb/rrweb-plugin-console-record/dist/rrweb-plugin-console-record.umd.cjs'));
/** rrweb alone, minified, for a page that is recorded from the outside (addScriptTag) rather than recording itself. */
export const rrwebMinifiedPath = path.join(modules, 'rrweb/dist/rrweb.umd.min.cjs');

// rrweb has no network plugin of its own; this one records fetches in the shape posthog-js's rrweb/network@1 uses.
// With headers, each request also carries its request and response headers (what the poller's redaction is tested on).
function networkPlugin(headers) {
  return `
window.networkPlugin = {
  name: 'rrweb/network@1',
  options: {},
  observer(callback, win) {
    const original = win.fetch.bind(win);
    win.fetch = async (input, init = {}) => {
      const started = win.performance.now();
      const url = new URL(typeof input === 'string' ? input : input.url, win.location.href).href;
      const method = (init.method || 'GET').toUpperCase();
      const entry = { name: url, method, entryType: 'resource', initiatorType: 'fetch', startTime: started,
        timeOrigin: win.performance.timeOrigin, timestamp: Date.now(), isInitial: false };
      if (${headers}) entry.requestHeaders = Object.assign({}, init.headers || {});
      try {
        const response = await original(input, init);
        const ended = win.performance.now();
        const done = { status: response.status, responseStatus: response.status, endTime: ended,
          duration: ended - started };
        if (${headers}) {
          done.responseHeaders = {};
          response.headers.forEach((value, key) => { done.responseHeaders[key] = value; });
        }
        callback({ requests: [Object.assign(entry, done)] });
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
}

/**
 * The <script> tags that make a page record itself from its first paint into window.events: rrweb, its console
 * plugin at {@code consoleLevels}, and the network plugin (with headers when {@code networkHeaders}).
 */
export function recorderScripts({ consoleLevels = ['info', 'log', 'warn', 'error'], networkHeaders = false } = {}) {
  return `<script>${rrwebJs}</script><script>${consoleJs}</script><script>${networkPlugin(networkHeaders)}</script>
<script>
window.events = [];
rrweb.record({ emit(e) { window.events.push(e); },
  plugins: [rrwebPluginConsoleRecord.getRecordConsolePlugin({ level: ${JSON.stringify(consoleLevels)} }), networkPlugin] });
</script>`;
}

/** Serves {@code handler} on a free local port; resolves to the base URL and a close function. */
export async function serve(handler) {
  const server = http.createServer(handler);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: 'http://127.0.0.1:' + server.address().port + '/',
    close() {
      server.closeAllConnections();
      server.close();
    },
  };
}

/** Answers {@code body} as JSON with {@code status} (and any {@code headers}). */
export function json(res, status, body, headers = {}) {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/**
 * Serves {@code html} at every path (a single-page app navigates with pushState), the {@code routes} by path prefix
 * ({@code {'/api/orders': (req, res) => ...}}), and 404 for any other /api/ call.
 */
export function servePage(html, routes = {}) {
  return serve((req, res) => {
    const route = Object.keys(routes).find((prefix) => req.url.startsWith(prefix));
    if (route) {
      routes[route](req, res);
    } else if (req.url.startsWith('/api/')) {
      json(res, 404, { error: 'no such endpoint' });
    } else {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(html);
    }
  });
}

/** Debian's Chromium (no browser download), headless. */
export function launchChromium(extraArgs = []) {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', ...extraArgs] });
}

/** A 1280×720 page, the size every recording is made at. */
export function newPage(browser) {
  return browser.newPage({ viewport: { width: 1280, height: 720 } });
}

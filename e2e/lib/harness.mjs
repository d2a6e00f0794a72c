// Shared plumbing for the end-to-end journeys: serve the release dist/ on 127.0.0.1 under a sub-path
// (/paxos/, as a static host would), start Debian's Chromium through playwright-core, collect every
// console error, page error, failed request and Content-Security-Policy violation, and save
// screenshots. A journey file (`*.test.mjs` in e2e/) uses `startApp()` and `app.openPage()`.
//
// Settings (all optional; `cargo xtask test` sets them):
//   E2E_DIST       the folder to serve              (default: ../dist, next to this e2e/ folder)
//   E2E_CHROMIUM   the Chromium binary              (default: /usr/bin/chromium)
//   E2E_ARTIFACTS  where screenshots go             (default: ./artifacts)

import { createServer } from 'node:http';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = fileURLToPath(new URL('..', import.meta.url));

/** The folder with index.html and the hashed wasm/js/css files. */
export const DIST = resolve(process.env.E2E_DIST ?? join(here, '..', 'dist'));
/** The browser: Debian's Chromium (Playwright downloads no browser here). */
export const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';
/** Where screenshots and other run artifacts go (gitignored). */
export const ARTIFACTS = resolve(process.env.E2E_ARTIFACTS ?? join(here, 'artifacts'));

/**
 * Flags for a closed network (see shared/TOOLCHAIN.md). `--headless` comes from `headless: true`;
 * Playwright rejects `--user-data-dir` here (it always uses a fresh profile).
 */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * The folder the app is served from: not the server's root, so that a journey fails (an HTTP 404 on
 * the page) if the bundle asks for anything by an absolute path.
 */
export const BASE_PATH = '/paxos/';

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/**
 * Serves `dir` read-only on 127.0.0.1 at a free port chosen by the system, under the path `base`
 * (like a static host: `/paxos` redirects to `/paxos/`; anything outside `base` is a 404).
 * Resolves to `{ url, origin, close }`, where `url` is the address of `base`.
 */
export async function serveStatic(dir, { base = '/' } = {}) {
  const root = resolve(dir);
  const server = createServer(async (request, response) => {
    try {
      const path = decodeURIComponent(new URL(request.url, 'http://x').pathname);
      if (path === base.replace(/\/$/, '') && base !== '/') {
        response.writeHead(301, { location: base }).end();
        return;
      }
      if (!path.startsWith(base)) throw new Error('outside the served folder');
      let file = normalize(join(root, path.slice(base.length)));
      if (file !== root && !file.startsWith(root + sep)) {
        response.writeHead(403).end();
        return;
      }
      if ((await stat(file).catch(() => null))?.isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
      response.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
    } catch {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  await new Promise((ok, fail) => server.once('error', fail).listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}${base}`,
    origin,
    close: () => new Promise((ok) => server.close(ok)),
  };
}

/**
 * Makes `problems` collect everything that should not happen on `page` and in its frames: console
 * errors, uncaught errors, failed requests, HTTP errors, and Content-Security-Policy violations.
 * CSP violations are reported twice on purpose: Chromium logs a console error, and the
 * `securitypolicyviolation` event (listened to by a script Playwright adds to every frame of the
 * context, which the page's CSP does not restrict) says which directive blocked what.
 */
export async function watchProblems(context, page, problems = []) {
  await context.exposeBinding('__e2eCspViolation', ({ frame }, v) =>
    problems.push(`CSP violation in ${frame.url()}: ${v.directive} blocked ${v.blocked || '(inline)'} ${v.sample}`),
  );
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__e2eCspViolation({ directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample }),
    );
  });
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const at = message.location()?.url;
    problems.push(`console error${at ? ` (${at})` : ''}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) =>
    problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`),
  );
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  return problems;
}

/**
 * Serves dist/ and starts Chromium. Call `close()` when done (an `after` hook).
 * `openPage()` gives a fresh page plus the list of problems seen on it so far.
 */
export async function startApp() {
  await stat(join(DIST, 'index.html')).catch(() => {
    throw new Error(`${DIST}/index.html is missing: run \`trunk build --release\` (cargo xtask test) first`);
  });
  const server = await serveStatic(DIST, { base: BASE_PATH });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
  return {
    /** The app's address, http://127.0.0.1:PORT/paxos/ (append a query to it). */
    url: server.url,
    /** http://127.0.0.1:PORT */
    origin: server.origin,
    browser,
    /**
     * Opens a page in a fresh context (`options` are Playwright's context options, e.g. `hasTouch`);
     * `problems` collects console errors, page errors, failed requests and CSP violations.
     */
    async openPage(options = {}) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
      const page = await context.newPage();
      const problems = await watchProblems(context, page);
      return { page, problems };
    },
    /** Saves a full-page PNG as `<ARTIFACTS>/<name>.png` and returns its path. */
    async screenshot(page, name) {
      await mkdir(ARTIFACTS, { recursive: true });
      const path = join(ARTIFACTS, `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/** Opens the share panel of `page` and reads the link and the trace hash it shows (the panel stays open). */
export async function shareLink(page) {
  await page.locator('#share').click();
  const panel = page.getByRole('dialog', { name: 'Share and export' });
  await panel.waitFor();
  const link = await panel.locator('#share-link').inputValue();
  const hash = await panel.locator('#trace-hash').innerText();
  return { panel, link, hash };
}

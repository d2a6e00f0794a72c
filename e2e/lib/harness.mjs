// Shared plumbing for the end-to-end journeys: serve the release dist/ on 127.0.0.1, start Debian's
// Chromium through playwright-core, collect every console error, page error and failed request, and
// save screenshots. A journey file (`*.test.mjs` in e2e/) uses `startApp()` and `app.openPage()`.
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
 * Serves `dir` read-only on 127.0.0.1 at a free port chosen by the system.
 * Resolves to `{ url, close }`.
 */
export async function serveStatic(dir) {
  const root = resolve(dir);
  const server = createServer(async (request, response) => {
    try {
      const path = decodeURIComponent(new URL(request.url, 'http://x').pathname);
      let file = normalize(join(root, path));
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
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((ok) => server.close(ok)),
  };
}

/**
 * Serves dist/ and starts Chromium. Call `close()` when done (an `after` hook).
 * `openPage()` gives a fresh page plus the list of problems seen on it so far.
 */
export async function startApp() {
  await stat(join(DIST, 'index.html')).catch(() => {
    throw new Error(`${DIST}/index.html is missing: run \`trunk build --release\` (cargo xtask test) first`);
  });
  const server = await serveStatic(DIST);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
  return {
    url: server.url,
    browser,
    /** Opens a page in a fresh context; `problems` collects console errors, page errors and failed requests. */
    async openPage() {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      const problems = [];
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('requestfailed', (request) =>
        problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`),
      );
      page.on('response', (response) => {
        if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
      });
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

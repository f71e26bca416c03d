import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import type { AddressInfo } from 'node:net';
import type Database from 'better-sqlite3';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launchChromium } from '../../bench/chromium.js';
import { DEFAULT_CHANGE_POINTS } from '../../src/store/change-points.js';
import { exportStatic } from '../../src/server/export-static.js';
import { ingestRun } from '../../src/server/ingest/ingest.js';
import { startServer, type RunningServer } from '../../src/server/app.js';
import type { ServiceSettings } from '../../src/server/context.js';
import { openStore } from '../../src/store/open.js';
import { saveRoofline } from '../../src/store/roofline.js';
import { ROOT, tempDir } from '../helpers.js';
import { historyRunAt, NAMES, ROOFLINE, SHIFT_AT, SHIFTED, XSS_NAME } from '../fixtures/server/history.js';

const COMMITS = 60;
const settings: ServiceSettings = {
  branch: 'main',
  repositoryUrl: 'https://github.com/example/demo',
  readToken: null,
  allowedHosts: null,
  maxBodyBytes: 1 << 20,
  changePoints: DEFAULT_CHANGE_POINTS,
};
const missing = chromiumMissing();

/** Refreshes the README's screenshots only when asked (BENCHGATE_SCREENSHOTS=1), so tests leave the tree clean. */
async function screenshot(page: Page, path: string, fullPage = false): Promise<void> {
  if (process.env.BENCHGATE_SCREENSHOTS === '1') await page.screenshot({ path: join(ROOT, path), fullPage });
  else expect((await page.screenshot({ fullPage })).length).toBeGreaterThan(1000);
}

/** The fixture database: 60 main-branch runs of project `demo`, a roofline report, and a project without one. */
function fixtureDb(): Database.Database {
  const db = openStore(join(tempDir(), 'history.db'));
  for (let i = 0; i < COMMITS; i++) ingestRun(db, historyRunAt(i, COMMITS), 'main');
  saveRoofline(db, 'demo', ROOFLINE);
  ingestRun(db, { ...historyRunAt(0, 1, ['other/impl/fx']), id: 'other-1', project: 'other' }, 'main');
  return db;
}

async function openOverview(page: Page, base: string): Promise<void> {
  await page.goto(`${base}#/p/1/t/1`);
  await page.waitForSelector('.vrow.bench');
}

it.runIf(missing !== null)('browser tests are skipped only when Chromium is missing, and never in CI', () => {
  expect(missing).toMatch(/not found/);
  // .ci/run installs Chromium: there, a missing browser is a failure, not a skip.
  expect(process.env.CI, `CI must run the browser tests: ${missing}`).toBeFalsy();
});

describe.skipIf(missing !== null)('the dashboard in headless Chromium', () => {
  let db: Database.Database;
  let server: RunningServer;
  let browser: BrowserContext;
  let page: Page;
  const dialogs: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    db = fixtureDb();
    server = await startServer({ db, host: '127.0.0.1', port: 0, ...settings });
    browser = await launchChromium();
    page = await browser.newPage();
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && pageErrors.push(m.text()));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    db?.close();
  });

  it('opens the overview grouped by kernel, and renders an HTML-like name as text', async () => {
    await openOverview(page, server.url);
    expect(await page.locator('.vrow.bench').count()).toBe(NAMES.length);
    expect(await page.locator('.vrow.group').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining('matmul'), expect.stringContaining('select')]),
    );
    await expect.poll(() => page.locator('.vrow.bench .name a', { hasText: XSS_NAME }).count()).toBe(1);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('#count').textContent()).toBe(`${NAMES.length} of ${NAMES.length} benchmarks`);
    await screenshot(page, 'docs/screenshots/overview.png');
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('searches and filters', async () => {
    await openOverview(page, server.url);
    await page.fill('#search', 'ts-typed');
    await expect.poll(() => page.locator('.vrow.bench').count()).toBe(2);
    await page.fill('#search', '');
    await page.selectOption('#verdict-filter', 'regressed');
    await expect.poll(() => page.locator('.vrow.bench .name').allTextContents()).toEqual([SHIFTED]);
    await page.selectOption('#verdict-filter', '');
  });

  it('opens a series with its change point marked and the hovered commit linked', async () => {
    await openOverview(page, server.url);
    await page.fill('#search', SHIFTED);
    await page.click(`.vrow.bench .name a`);
    await page.waitForSelector('#chart .u-over');
    expect(await page.locator('h1').textContent()).toBe(SHIFTED);
    const markers = page.locator('.cp-marker');
    expect(await markers.count()).toBe(1);
    expect(await markers.first().getAttribute('data-position')).toBe(String(SHIFT_AT));
    expect(await page.locator('#change-points tbody tr').count()).toBe(1);
    const box = (await page.locator('#chart .u-over').boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.75, box.y + box.height / 2);
    const commit = page.locator('#point-info a.commit');
    await expect.poll(() => commit.count()).toBe(1);
    expect(await commit.getAttribute('href')).toMatch(/^https:\/\/github\.com\/example\/demo\/commit\/[0-9a-f]{40}$/);
    expect(await page.locator('#point-info').textContent()).toContain('<script>alert("msg")</script>');
    await screenshot(page, 'docs/screenshots/series.png');
    // Zoom in with the wheel: the marker stays where the change is.
    await page.mouse.wheel(0, -300);
    await page.click('#reset-zoom');
    expect(dialogs).toEqual([]);
  });

  it('switches the series to peak memory and shows it in MiB, without change points', async () => {
    await openOverview(page, server.url);
    await page.fill('#search', SHIFTED);
    await page.click(`.vrow.bench .name a`);
    await page.waitForSelector('#chart .u-over');
    expect(await page.locator('#measure option').allTextContents()).toEqual(['time', 'peak memory']);
    await page.selectOption('#measure', 'peak-memory');
    await page.waitForFunction(() => document.body.dataset.ready?.endsWith('?m=peak-memory'));
    await page.waitForSelector('#chart .u-over');
    expect(await page.locator('#measure').inputValue()).toBe('peak-memory');
    expect(await page.locator('.cp-marker').count()).toBe(0);
    const box = (await page.locator('#chart .u-over').boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2);
    await expect.poll(() => page.locator('#point-info strong').last().textContent()).toBe('2.00 MiB');
    await page.selectOption('#measure', 'time');
    await page.waitForSelector('.cp-marker');
    expect(pageErrors).toEqual([]);
  });

  it('shows a run as a forest plot with regressions first', async () => {
    await page.goto(`${server.url}#/run/run-000${COMMITS - 1}`);
    await page.waitForSelector('svg.forest');
    const rows = page.locator('svg.forest g.forest-row');
    expect(await rows.count()).toBe(NAMES.length);
    expect(await rows.first().getAttribute('class')).toBe('forest-row regressed');
    expect(await rows.first().locator('text').first().textContent()).toBe(SHIFTED);
    expect(await page.locator('svg.forest text', { hasText: XSS_NAME }).count()).toBe(1);
    expect(await page.locator('img').count()).toBe(0);
    // The other measures' verdicts, under the plot: the regression first.
    const measures = page.locator('#measure-verdicts tbody tr');
    expect(await measures.count()).toBe(NAMES.length);
    expect(await measures.first().locator('td').allTextContents()).toEqual([
      SHIFTED,
      'peak memory (informs)',
      '2.00 MiB → 2.24 MiB',
      '+12.0%',
      'regressed',
    ]);
    await screenshot(page, 'docs/screenshots/run.png', true);
  });

  it('shows the roofline, and says so when a project has none', async () => {
    await page.goto(`${server.url}#/p/1/roofline`);
    await page.waitForSelector('svg.roof');
    expect(await page.locator('svg.roof circle').count()).toBe(2);
    expect(await page.locator('#roofline-table tbody tr').count()).toBe(3);
    // The spread: the roofs as a band, each fraction's interquartile range as a bar in the chart and the table.
    expect(await page.locator('svg.roof polygon.roof-band').count()).toBe(1);
    expect(await page.locator('svg.roof line.roof-interval').count()).toBe(2);
    expect(await page.locator('#roofline-table .bar-iqr').count()).toBe(2);
    expect(await page.locator('#roofline-limits').textContent()).toContain('FMA peak 250.0 GFLOP/s (IQR 238.0–256.0)');
    expect(await page.locator('#roofline-table tbody tr').first().textContent()).toContain('71.0% (66.0–74.0)');
    await screenshot(page, 'docs/screenshots/roofline.png', true);
    await page.goto(`${server.url}#/p/2/roofline`);
    await page.waitForSelector('#no-roofline');
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('works from the static export with relative URLs', async () => {
    const out = join(tempDir(), 'site');
    const summary = exportStatic(db, settings, out);
    expect(summary.series).toBe(NAMES.length + 1);
    // A plain static file server, like GitHub Pages: no API, no security headers.
    const files: Server = createServer((req, res) => {
      const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(
        /^(\.\.[/\\])+/,
        '',
      );
      try {
        const body = readFileSync(join(out, path === '/' ? 'index.html' : path));
        res.writeHead(200, {
          'Content-Type':
            { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json' }[
              extname(path) || '.html'
            ] ?? 'application/octet-stream',
        });
        res.end(body);
      } catch {
        res.writeHead(404).end('not found');
      }
    });
    await new Promise<void>((r) => files.listen(0, '127.0.0.1', r));
    try {
      const base = `http://127.0.0.1:${(files.address() as AddressInfo).port}/sub/`.replace('/sub/', '/');
      await openOverview(page, base);
      expect(await page.locator('.vrow.bench').count()).toBe(NAMES.length);
      await page.click(`.vrow.bench .name a >> text=${SHIFTED}`);
      await page.waitForSelector('.cp-marker');
      expect(await page.locator('img').count()).toBe(0);
      // The export has the peak-memory series the selector asks for.
      await page.selectOption('#measure', 'peak-memory');
      await page.waitForFunction(() => document.body.dataset.ready?.endsWith('?m=peak-memory'));
      await page.waitForSelector('#chart .u-over');
      const box = (await page.locator('#chart .u-over').boundingBox())!;
      await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2);
      await expect.poll(() => page.locator('#point-info strong').last().textContent()).toBe('2.00 MiB');
    } finally {
      await new Promise((r) => files.close(r));
    }
  });
});

void ROOT;

/**
 * The overview's measure selector in real headless Chromium: switching to peak memory shows each
 * benchmark's figures in MiB with that measure's verdicts and no change points, the URL hash keeps
 * the choice, and the static export has the files the selector asks for.
 */
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
import { tempDir } from '../helpers.js';
import { historyRunAt, NAMES, SHIFTED } from '../fixtures/server/history.js';

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

/** 60 main-branch runs of project `demo`: time and peak memory ((k + 1) × 2 MiB; +12% in SHIFTED's last run). */
function fixtureDb(): Database.Database {
  const db = openStore(join(tempDir(), 'history.db'));
  for (let i = 0; i < COMMITS; i++) ingestRun(db, historyRunAt(i, COMMITS), 'main');
  return db;
}

/** The latest value and verdict shown in a benchmark's row. */
async function rowOf(page: Page, name: string): Promise<{ value: string; verdict: string; changes: string }> {
  const row = page.locator('.vrow.bench', { has: page.locator('.name a', { hasText: name }) });
  const [, value = '', verdict = '', changes = ''] = await row.locator(':scope > span').allTextContents();
  return { value, verdict, changes };
}

async function openOverview(page: Page, base: string, hash = '#/p/1/t/1'): Promise<void> {
  await page.goto(`${base}${hash}`);
  await page.waitForSelector('.vrow.bench');
}

async function switchTo(page: Page, measure: string, hashEnd: string): Promise<void> {
  await page.selectOption('#overview-measure', measure);
  await page.waitForFunction((end) => document.body.dataset.ready?.endsWith(end), hashEnd);
  await page.waitForSelector('.vrow.bench');
}

it.runIf(missing !== null)('browser tests are skipped only when Chromium is missing, and never in CI', () => {
  expect(missing).toMatch(/not found/);
  // .ci/run installs Chromium: there, a missing browser is a failure, not a skip.
  expect(process.env.CI, `CI must run the browser tests: ${missing}`).toBeFalsy();
});

describe.skipIf(missing !== null)('the overview measure selector in headless Chromium', () => {
  let db: Database.Database;
  let server: RunningServer;
  let browser: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    db = fixtureDb();
    server = await startServer({ db, host: '127.0.0.1', port: 0, ...settings });
    browser = await launchChromium();
    page = await browser.newPage();
    page.on('dialog', (d) => {
      pageErrors.push(`dialog: ${d.message()}`);
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

  it('switches the overview to peak memory, shows MiB and its verdicts, and keeps the choice in the hash', async () => {
    await openOverview(page, server.url);
    expect(await page.locator('#overview-measure option').allTextContents()).toEqual(['time', 'peak memory']);
    expect(await page.locator('#overview-measure').inputValue()).toBe('time');
    const timeRow = await rowOf(page, SHIFTED);
    expect(timeRow.value).toMatch(/^\d+(\.\d+)? µs$/);
    expect(timeRow.verdict).toBe('regressed');
    expect(timeRow.changes).toMatch(/^1 \(last \+\d+\.\d%\)$/);
    expect(await page.locator('#overview-measure-note').count()).toBe(0);

    await switchTo(page, 'peak-memory', '#/p/1/t/1?m=peak-memory');
    expect(await page.locator('#overview-measure').inputValue()).toBe('peak-memory');
    expect(await page.locator('.vrow.bench').count()).toBe(NAMES.length);
    expect(await rowOf(page, SHIFTED)).toEqual({ value: '2.24 MiB', verdict: 'regressed', changes: '—' });
    expect(await rowOf(page, 'matmul/ts-typed/n64')).toEqual({ value: '4.00 MiB', verdict: 'unchanged', changes: '—' });
    expect(await rowOf(page, 'select/heap/n1e5')).toEqual({ value: '10.0 MiB', verdict: 'unchanged', changes: '—' });
    expect(await page.locator('.vrow.head .value').getAttribute('title')).toBe('latest peak memory');
    expect(await page.locator('#overview-measure-note').textContent()).toContain(
      'Change points are searched in time per call only',
    );
    expect(await page.locator('#verdict-filter option[value="changes"]').isDisabled()).toBe(true);
    // The verdict filter reads peak memory's verdicts; a search stays in the hash with the measure.
    await page.selectOption('#verdict-filter', 'regressed');
    await expect.poll(() => page.locator('.vrow.bench .name').allTextContents()).toEqual([SHIFTED]);
    await page.selectOption('#verdict-filter', '');
    await page.fill('#search', 'matmul');
    await expect.poll(() => page.locator('.vrow.bench').count()).toBe(3);
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#/p/1/t/1?q=matmul&m=peak-memory');
    // A benchmark's link opens its series in the same measure.
    expect(await page.locator('.vrow.bench .name a', { hasText: SHIFTED }).getAttribute('href')).toMatch(
      /^#\/p\/1\/t\/1\/b\/\d+\?m=peak-memory$/,
    );

    // The hash alone brings the choice back.
    await openOverview(page, server.url, '#/p/1/t/1?q=matmul&m=peak-memory');
    expect(await page.locator('#overview-measure').inputValue()).toBe('peak-memory');
    expect(await page.locator('#search').inputValue()).toBe('matmul');
    expect(await rowOf(page, SHIFTED)).toEqual({ value: '2.24 MiB', verdict: 'regressed', changes: '—' });

    await switchTo(page, 'time', '#/p/1/t/1?q=matmul');
    expect((await rowOf(page, SHIFTED)).value).toMatch(/ µs$/);
    expect((await rowOf(page, SHIFTED)).changes).toMatch(/^1 \(last/);
    expect(pageErrors).toEqual([]);
  });

  it('answers a bad measure in the hash with the API error, not a broken page', async () => {
    await page.goto(`${server.url}#/p/1/t/1?m=cpu-time`);
    await page.waitForSelector('.error');
    expect(await page.locator('.error').textContent()).toContain('but got "cpu-time"');
  });

  it('works from the static export, which has the peak-memory overview', async () => {
    const out = join(tempDir(), 'site');
    exportStatic(db, settings, out);
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
      await openOverview(page, `http://127.0.0.1:${(files.address() as AddressInfo).port}/`);
      await switchTo(page, 'peak-memory', '#/p/1/t/1?m=peak-memory');
      expect(await rowOf(page, SHIFTED)).toEqual({ value: '2.24 MiB', verdict: 'regressed', changes: '—' });
    } finally {
      await new Promise((r) => files.close(r));
    }
  });
});

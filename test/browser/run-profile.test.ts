/**
 * The run view's differential profiles in real headless Chromium: a stored compare run whose
 * regressed benchmark carries a CPU and an allocated-bytes profile shows each as a bar chart of
 * head against base per function, largest growth first with its file:line, says where the profile
 * files are, and renders a function named like HTML as text.
 */
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launchChromium } from '../../bench/chromium.js';
import { DEFAULT_CHANGE_POINTS } from '../../src/store/change-points.js';
import { ingestRun } from '../../src/server/ingest/ingest.js';
import { startServer, type RunningServer } from '../../src/server/app.js';
import type { ServiceSettings } from '../../src/server/context.js';
import { openStore } from '../../src/store/open.js';
import { ROOT, tempDir } from '../helpers.js';
import { CPU_PROFILE, PROFILED, profiledRun, XSS_FUNCTION } from '../fixtures/store/profiled-run.js';

const settings: ServiceSettings = {
  branch: 'main',
  repositoryUrl: 'https://github.com/example/demo',
  readToken: null,
  allowedHosts: null,
  maxBodyBytes: 1 << 20,
  changePoints: DEFAULT_CHANGE_POINTS,
};
const missing = chromiumMissing();

/** Refreshes the docs' screenshot only when asked (BENCHGATE_SCREENSHOTS=1), so tests leave the tree clean. */
async function screenshot(page: Page, path: string): Promise<void> {
  const profile = page.locator('section.profile').first();
  if (process.env.BENCHGATE_SCREENSHOTS === '1') await profile.screenshot({ path: join(ROOT, path) });
  else expect((await profile.screenshot()).length).toBeGreaterThan(1000);
}

it.runIf(missing !== null)('browser tests are skipped only when Chromium is missing, and never in CI', () => {
  expect(missing).toMatch(/not found/);
  expect(process.env.CI, `CI must run the browser tests: ${missing}`).toBeFalsy();
});

describe.skipIf(missing !== null)('the run view’s differential profiles in headless Chromium', () => {
  let db: Database.Database;
  let server: RunningServer;
  let browser: BrowserContext;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    db = openStore(join(tempDir(), 'history.db'));
    // The functions arrive smallest growth first: the view puts the largest first.
    const run = profiledRun('compare-profiled');
    const reversed = run.benchmarks.map((b) =>
      b.profile ? { ...b, profile: { ...b.profile, top: [...b.profile.top].reverse() } } : b,
    );
    expect(ingestRun(db, { ...run, benchmarks: reversed }, 'main').status).toBe('stored');
    const plain = profiledRun('compare-plain');
    const unprofiled = plain.benchmarks.map(({ profile: _p, countProfile: _c, ...b }) => b);
    expect(ingestRun(db, { ...plain, benchmarks: unprofiled }, 'main').status).toBe('stored');
    server = await startServer({ db, host: '127.0.0.1', port: 0, ...settings });
    browser = await launchChromium();
    page = await browser.newPage();
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    db?.close();
  });

  it('shows the regression’s CPU differential, top function first with its file:line and units', async () => {
    await page.goto(`${server.url}#/run/compare-profiled`);
    await page.waitForSelector('section.profile svg.profile-diff');
    const sections = page.locator('section.profile');
    expect(await sections.count()).toBe(1);
    expect(await sections.first().getAttribute('data-benchmark')).toBe(PROFILED);
    expect(await sections.first().locator('h2').textContent()).toBe(`Where it went: ${PROFILED} regressed +41.3%`);

    const cpu = page.locator('.profile-diff-block.cpu');
    expect(await cpu.locator('h3').textContent()).toBe('Self time per call by function (V8 CPU profiler, ms/call)');
    const chart = cpu.locator('svg.profile-diff');
    expect(await chart.getAttribute('data-unit')).toBe('ms');
    const rows = chart.locator('g.profile-row');
    expect(await rows.count()).toBe(CPU_PROFILE.top.length);
    expect(await rows.locator('text.fn').allTextContents()).toEqual([
      'integrateRange',
      XSS_FUNCTION,
      '(garbage collector)',
    ]);
    const first = rows.first();
    expect(await first.locator('text.place').textContent()).toBe('kernels/ode-ensemble/ts-soa.ts:7');
    expect(await first.locator('text.growth').textContent()).toBe('+4.10 ms/call (+205%)');
    expect(await first.locator('text.sides').textContent()).toBe('2.00 ms/call → 6.10 ms/call');
    // The head bar is the longer one, in proportion to 6.1 against 2 ms.
    const headW = Number(await first.locator('rect.bar-head').getAttribute('width'));
    const baseW = Number(await first.locator('rect.bar-base').getAttribute('width'));
    expect(headW / baseW).toBeCloseTo(6.1 / 2, 5);
    expect(await rows.nth(2).locator('text.place').textContent()).toBe('no source location');
    expect(await rows.nth(2).locator('text.sides').textContent()).toBe('0 ms/call → 20.0 µs/call');

    // Where the files are: the service has only the report.
    const files = await cpu.locator('.profile-files').textContent();
    expect(files).toContain('benchgate-profiles/ode-ensemble/ts-soa/s256/base.cpuprofile');
    expect(files).toContain('benchgate-profiles/ode-ensemble/ts-soa/s256/head.cpuprofile');
    expect(files).toContain("workflow run's benchgate-profiles artifact");
  });

  it('shows the allocated-bytes differential in bytes per call', async () => {
    const count = page.locator('.profile-diff-block.count');
    expect(await count.locator('h3').textContent()).toBe(
      'Allocated bytes per call by function (V8 sampling heap profiler, bytes/call)',
    );
    expect(await count.locator('svg.profile-diff').getAttribute('data-unit')).toBe('bytes');
    const row = count.locator('g.profile-row').first();
    expect(await row.locator('text.fn').textContent()).toBe('allocateState');
    expect(await row.locator('text.place').textContent()).toBe('kernels/ode-ensemble/ts-soa.ts:52');
    expect(await row.locator('text.growth').textContent()).toBe('+3.00 MiB/call (×3072)');
    expect(await count.locator('.profile-files').textContent()).toContain('head.heapprofile');
  });

  it('renders a function name and file that look like HTML as text', async () => {
    const hostile = page.locator('g.profile-row', { has: page.locator('text.fn', { hasText: XSS_FUNCTION }) });
    expect(await hostile.count()).toBe(1);
    expect(await hostile.locator('text.place').textContent()).toBe('kernels/ode-ensemble/<b>rhs</b>.ts:31');
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('section.profile b').count()).toBe(0);
    await screenshot(page, 'docs/screenshots/run-profile.png');
    expect(problems).toEqual([]);
  });

  it('shows no profile section for a run without profiles', async () => {
    await page.goto(`${server.url}#/run/compare-plain`);
    await page.waitForFunction(() => document.body.dataset.ready === '#/run/compare-plain');
    expect(await page.locator('svg.forest g.forest-row').count()).toBe(3);
    expect(await page.locator('section.profile').count()).toBe(0);
    expect(problems).toEqual([]);
  });
});

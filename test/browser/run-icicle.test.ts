/**
 * The run view's differential call tree in real headless Chromium: a stored compare run whose
 * regressed benchmark's CPU profile carries a call tree shows it as an icicle under the bar chart,
 * each box as wide as its head time per call, the function whose time grew red, the one that
 * shrank blue, the unchanged one grey, each with a title of its times, and a function named like
 * HTML as text.
 */
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launchChromium } from '../../bench/chromium.js';
import { startServer, type RunningServer } from '../../src/server/app.js';
import type { ServiceSettings } from '../../src/server/context.js';
import { ingestRun } from '../../src/server/ingest/ingest.js';
import { DEFAULT_CHANGE_POINTS } from '../../src/store/change-points.js';
import { openStore } from '../../src/store/open.js';
import { tempDir } from '../helpers.js';
import { CPU_TREE, profiledRun, XSS_FUNCTION } from '../fixtures/store/profiled-run.js';

const settings: ServiceSettings = {
  branch: 'main',
  repositoryUrl: 'https://github.com/example/demo',
  readToken: null,
  allowedHosts: null,
  maxBodyBytes: 1 << 20,
  changePoints: DEFAULT_CHANGE_POINTS,
};
const missing = chromiumMissing();
/** The icicle's width in pixels: the root's head time per call spans it. */
const WIDTH = 920;

/** The hue of an `hsl(h, s%, l%)` fill, or null for any other colour. */
const hue = (fill: string | null): number | null => {
  const m = /^hsl\((\d+),/.exec(fill ?? '');
  return m ? Number(m[1]) : null;
};

it.runIf(missing !== null)('browser tests are skipped only when Chromium is missing, and never in CI', () => {
  expect(missing).toMatch(/not found/);
  expect(process.env.CI, `CI must run the browser tests: ${missing}`).toBeFalsy();
});

describe.skipIf(missing !== null)('the run view’s call-tree icicle in headless Chromium', () => {
  let db: Database.Database;
  let server: RunningServer;
  let browser: BrowserContext;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    db = openStore(join(tempDir(), 'history.db'));
    expect(ingestRun(db, profiledRun('compare-tree'), 'main').status).toBe('stored');
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

  /** The icicle's box of function `fn`. */
  const box = (fn: string) =>
    page.locator('svg.icicle g.icicle-node', { has: page.locator('title', { hasText: `${fn} — ` }) });

  it('draws the call tree under the CPU bars, the root spanning the head’s time per call', async () => {
    await page.goto(`${server.url}#/run/compare-tree`);
    await page.waitForSelector('svg.icicle g.icicle-node');
    const cpu = page.locator('.profile-diff-block.cpu');
    // Under the bar chart of the same differential.
    expect(await cpu.locator(':scope > svg.profile-diff + .icicle-block svg.icicle').count()).toBe(1);
    expect(await cpu.locator('.icicle-block h4').textContent()).toBe(
      'Call tree, head against base (V8 CPU profiler, inclusive ms/call)',
    );
    // Every node of the fixture's tree is drawn (each is wider than half a pixel on the head).
    expect(await page.locator('svg.icicle g.icicle-node').count()).toBe(7);
    const root = page.locator('svg.icicle g.icicle-node[data-depth="0"] rect');
    expect(Number(await root.getAttribute('width'))).toBeCloseTo(WIDTH, 1);
    expect(await page.locator('svg.icicle g.icicle-node[data-depth="3"]').count()).toBe(1);
    // The legend names the three colours; the note says what was left out.
    expect(await page.locator('svg.icicle rect.swatch').count()).toBe(3);
    expect(await page.locator('svg.icicle > text').allTextContents()).toEqual(
      expect.arrayContaining(['grew', 'shrank', 'unchanged']),
    );
    expect(await cpu.locator('.icicle-note').textContent()).toContain('3 smaller call paths are left out');
  });

  it('colours the function whose time grew red and draws it as wide as its head time, wider than its base share', async () => {
    const grew = box('integrateRange');
    expect(await grew.getAttribute('class')).toBe('icicle-node grew');
    expect(hue(await grew.locator('rect').getAttribute('fill'))).toBe(0);
    const width = Number(await grew.locator('rect').getAttribute('width'));
    const scale = WIDTH / CPU_TREE.root.headTotalMsPerCall;
    expect(width).toBeCloseTo(7.35 * scale, 1);
    // On the base it took 2.5 of 3.58 ms per call: 70% of the root; on the head 90%.
    expect(width / WIDTH).toBeGreaterThan(2.5 / 3.58 + 0.15);
    expect(await grew.locator('title').textContent()).toBe(
      [
        'integrateRange — kernels/ode-ensemble/ts-soa.ts:7',
        'inclusive: base 2.50 ms/call, head 7.35 ms/call, +4.85 ms/call (+194%)',
        'self: base 2.00 ms/call, head 6.10 ms/call, +4.10 ms/call (+205%)',
      ].join('\n'),
    );
    // Its callers grew with it; the function it calls sits under it, at its left edge.
    expect(await box('runEnsemble').getAttribute('class')).toBe('icicle-node grew');
    const x = async (fn: string) => Number(await box(fn).locator('rect').getAttribute('x'));
    expect(await x(XSS_FUNCTION)).toBeCloseTo(await x('integrateRange'), 5);
  });

  it('colours a function that shrank blue and one that stayed the same grey', async () => {
    const shrank = box('copyState');
    expect(await shrank.getAttribute('class')).toBe('icicle-node shrank');
    expect(hue(await shrank.locator('rect').getAttribute('fill'))).toBe(214);
    expect(await shrank.locator('title').textContent()).toContain(
      'inclusive: base 600 µs/call, head 300 µs/call, −300 µs/call (-50%)',
    );
    const same = box('allocateState');
    expect(await same.getAttribute('class')).toBe('icicle-node same');
    expect(hue(await same.locator('rect').getAttribute('fill'))).toBeNull();
  });

  it('shows a function and file named like HTML as text', async () => {
    const hostile = box(XSS_FUNCTION);
    expect(await hostile.count()).toBe(1);
    expect(await hostile.locator('title').textContent()).toMatch(
      /^<img src=x onerror=alert\(1\)> — kernels\/ode-ensemble\/<b>rhs<\/b>\.ts:31\n/,
    );
    // Its label, cut to its box, is the name's text.
    expect(await hostile.locator('text').textContent()).toMatch(/^<img src=x onerror=.*…$/);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('section.profile b').count()).toBe(0);
    expect(problems).toEqual([]);
  });
});

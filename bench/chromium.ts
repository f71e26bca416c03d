/**
 * Starts Debian's headless Chromium through playwright-core with a fresh profile, the way the
 * browser tests and `bench:server` both need it.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Where Debian's `chromium` package puts the browser. */
export const CHROMIUM = process.env.BENCHGATE_CHROMIUM ?? '/usr/bin/chromium';

/** Why Chromium cannot run here, or null when it can. */
export function chromiumMissing(): string | null {
  return existsSync(CHROMIUM)
    ? null
    : `${CHROMIUM} not found: install it with apt-get install -y chromium (or set BENCHGATE_CHROMIUM)`;
}

/** A headless Chromium with a fresh --user-data-dir; close it when done, which also removes the profile. */
export async function launchChromium(): Promise<BrowserContext> {
  const profile = mkdtempSync(join(tmpdir(), 'benchgate-chromium-'));
  const removeProfile = () => rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  const context = await chromium
    .launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 860 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    })
    .catch((e: unknown) => {
      removeProfile();
      throw e;
    });
  // The 'close' event comes while Chromium may still write to its profile; close() returns after it exited.
  const close = context.close.bind(context);
  context.close = async (...args: Parameters<BrowserContext['close']>) => {
    await close(...args);
    removeProfile();
  };
  return context;
}

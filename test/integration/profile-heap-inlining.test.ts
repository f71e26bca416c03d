/**
 * A heap profile names the function that allocates even where the optimising compiler would
 * inline it: V8's sampling heap profiler walks physical frames, so an inlined function's
 * allocations would be counted against its caller. A small, hot `makeRows` (thousands of calls a
 * second, which TurboFan inlines into `kernel`) must get its own bytes.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type * as ProfilePass from '../../src/profile/profile-pass.js';
import { tempDir } from '../helpers.js';

// The built module: it starts the built profile worker beside it (the CLI's own code path).
const BUILT = '../../dist/src/profile/profile-pass.js';
const { HEAP_SAMPLING_BYTES, profileSide, sideAllocations } = (await import(BUILT)) as typeof ProfilePass;

const SUITE = `
function makeRows(n) { const out = []; for (let i = 0; i < n; i++) out.push({ i, s: 'row' + i }); return out; }
let kept = null;
function kernel() { kept = makeRows(200); return kept.length; }
export default {
  name: 'hot',
  cases: () => [
    { kernel: 'hot', implementation: 'js', fixture: 'small', fixtureChecksum: 'c1', work: { flops: null, bytes: null }, setup: () => ({ run: kernel }) },
  ],
};
`;

describe('heap profiles of inlined functions', () => {
  it('counts a small hot function’s allocations as its own, not its caller’s', async () => {
    const dir = tempDir('benchgate-heap-inlining-');
    writeFileSync(join(dir, 'suite.mjs'), SUITE);
    const side: ProfilePass.ProfileSide = {
      side: 'head',
      suite: join(dir, 'suite.mjs'),
      cwd: dir,
      root: dir,
      profile: 'quick',
    };
    const run = await profileSide(
      side,
      {
        suite: side.suite,
        profile: 'quick',
        name: 'hot/js/small',
        warmupSeconds: 0.5,
        seconds: 0.5,
        minCalls: 10,
        intervalUs: 100,
        kind: 'heap',
        samplingBytes: HEAP_SAMPLING_BYTES,
        out: join(dir, 'head.heapprofile'),
      },
      30_000,
      'hot/js/small',
    );
    // Hot enough for TurboFan.
    expect(run.calls).toBeGreaterThan(1000);
    const bytes = sideAllocations(run, side, 'hot/js/small');
    const total = bytes.reduce((sum, f) => sum + f.perCall, 0);
    const own = bytes.find((f) => f.function === 'makeRows');
    expect(own, `${run.calls} calls: ${JSON.stringify(bytes.slice(0, 3))}`).toMatchObject({
      file: 'suite.mjs',
      line: 2,
    });
    expect(own!.perCall / total).toBeGreaterThan(0.9);
  }, 60_000);
});

/**
 * One process of the true-effect measurement: loads a revision's built suite module, sets up one
 * benchmark, warms it up, times it for a fixed time and prints one JSON line
 * `{ "seconds": median seconds per call, "samples", "calls" }`. Independent of benchgate's round
 * scheduler and worker, so that the true effect does not share their mistakes.
 *
 *   node time-case.js SUITE_MODULE PROFILE NAME [TIME_MS] [WARMUP_MS]
 */
import { loadSuite, selectCases } from '../../src/measure/suite.js';
import { caseName } from '../../src/measure/suite-types.js';
import type { Profile } from '../../src/model.js';

async function call(run: () => unknown): Promise<void> {
  const r = run();
  if (r instanceof Promise) await r;
}

async function main(): Promise<void> {
  const [suitePath, profile, name, timeMs = '1000', warmupMs = '500'] = process.argv.slice(2);
  if (suitePath === undefined || name === undefined)
    throw new Error('usage: time-case SUITE PROFILE NAME [MS] [WARMUP_MS]');
  const suite = await loadSuite(suitePath);
  const c = selectCases(suite, profile as Profile, null).find((x) => caseName(x) === name);
  if (c === undefined) throw new Error(`no benchmark ${name} in ${suitePath}`);
  const prepared = await c.setup();
  const run = prepared.run.bind(prepared) as () => unknown;
  // Warm-up: at least 3 calls and warmupMs.
  let t0 = performance.now();
  let warm = 0;
  while (warm < 3 || performance.now() - t0 < Number(warmupMs)) {
    await call(run);
    warm++;
  }
  const perCall = (performance.now() - t0) / warm;
  // Batch short calls so that one sample is at least ~1 ms.
  const batch = Math.max(1, Math.ceil(1 / perCall));
  const samples: number[] = [];
  t0 = performance.now();
  while (samples.length < 5 || performance.now() - t0 < Number(timeMs)) {
    const s = performance.now();
    for (let i = 0; i < batch; i++) await call(run);
    samples.push((performance.now() - s) / batch / 1000);
  }
  prepared.teardown?.();
  samples.sort((a, b) => a - b);
  const seconds = samples[Math.floor(samples.length / 2)] as number;
  process.stdout.write(
    `${JSON.stringify({ seconds, samples: samples.length, calls: samples.length * batch, warmupCalls: warm })}\n`,
  );
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`);
    process.exit(1);
  },
);

/**
 * One process of the true-effect measurement: loads the base's and the patched revision's built
 * suite modules, sets up one benchmark in each, warms both up, then times them in turn for a fixed
 * time, one sample of each after the other (the order inside each pair random, a sample at least
 * ~1 ms of calls), and prints one JSON line: the median of the pairs' ratios and each side's
 * median per call. The machine changes speed for spells of a fraction of a second, native and JS
 * alike (docs/method/real-regressions.md); neighbouring samples share the spell, so the pairs'
 * ratio sees the patch where separate processes would see the spells. Written apart from
 * benchgate's worker, scheduler and alternation (src/measure), so that the true effect does not
 * share their mistakes.
 *
 *   node time-case.js BASE_SUITE PATCHED_SUITE PROFILE NAME [TIME_MS] [WARMUP_MS]
 */
import { loadSuite, selectCases } from '../../src/measure/suite.js';
import { caseName } from '../../src/measure/suite-types.js';
import type { Profile } from '../../src/model.js';

async function call(run: () => unknown): Promise<void> {
  const r = run();
  if (r instanceof Promise) await r;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 === 1 ? (s[h] as number) : ((s[h - 1] as number) + (s[h] as number)) / 2;
};

async function prepare(suitePath: string, profile: Profile, name: string): Promise<() => unknown> {
  const suite = await loadSuite(suitePath);
  const c = selectCases(suite, profile, null).find((x) => caseName(x) === name);
  if (c === undefined) throw new Error(`no benchmark ${name} in ${suitePath}`);
  const prepared = await c.setup();
  return prepared.run.bind(prepared) as () => unknown;
}

async function main(): Promise<void> {
  const [basePath, patchedPath, profile, name, timeMs = '1000', warmupMs = '500'] = process.argv.slice(2);
  if (basePath === undefined || patchedPath === undefined || name === undefined)
    throw new Error('usage: time-case BASE_SUITE PATCHED_SUITE PROFILE NAME [MS] [WARMUP_MS]');
  const runs = [
    await prepare(basePath, profile as Profile, name),
    await prepare(patchedPath, profile as Profile, name),
  ];
  // Warm-up, in turn: at least 3 calls and warmupMs each.
  const spent = [0, 0];
  let warm = 0;
  while (warm < 3 || Math.min(...spent) < Number(warmupMs)) {
    for (const [i, run] of runs.entries()) {
      const s = performance.now();
      await call(run);
      spent[i]! += performance.now() - s;
    }
    warm++;
  }
  // Batch short calls so that one sample is at least ~1 ms.
  const batch = Math.max(1, Math.ceil(1 / (Math.max(...spent) / warm)));
  const samples: number[][] = [[], []];
  const ratios: number[] = [];
  const t0 = performance.now();
  while (ratios.length < 5 || performance.now() - t0 < Number(timeMs)) {
    const order = Math.random() < 0.5 ? [0, 1] : [1, 0];
    const pair = [0, 0];
    for (const i of order) {
      const s = performance.now();
      for (let k = 0; k < batch; k++) await call(runs[i]!);
      pair[i] = (performance.now() - s) / batch / 1000;
      samples[i]!.push(pair[i]!);
    }
    ratios.push((pair[1] as number) / (pair[0] as number));
  }
  process.stdout.write(
    `${JSON.stringify({
      ratio: median(ratios),
      baseSeconds: median(samples[0]!),
      patchedSeconds: median(samples[1]!),
      pairs: ratios.length,
      calls: ratios.length * batch,
      warmupCalls: warm,
    })}\n`,
  );
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`);
    process.exit(1);
  },
);

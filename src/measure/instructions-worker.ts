/**
 * The process callgrind counts for the `instructions` measure (./instructions.ts): loads one
 * revision's suite, sets up one benchmark and calls it a given number of times, then exits. It
 * times nothing and sends nothing: its job is its single argument, a JSON {@link CountJob}; it
 * exits 0 when done, {@link EXIT_SKIPPED} when the case cannot run here, 1 when it failed (the
 * message on stderr).
 */
import { loadSuite, selectCases } from './suite.js';
import { caseName, SkipBenchmark } from './suite-types.js';
import { EXIT_SKIPPED, type CountJob } from './protocol.js';

async function main(job: CountJob): Promise<void> {
  const suite = await loadSuite(job.suite);
  const c = selectCases(suite, job.profile, null).find((x) => caseName(x) === job.name);
  if (c === undefined) throw new Error(`benchmark ${JSON.stringify(job.name)} is not in suite ${suite.name}`);
  const prepared = await c.setup();
  try {
    for (let i = 0; i < job.calls; i++) {
      const r = prepared.run();
      if (r instanceof Promise) await r;
    }
  } finally {
    prepared.teardown?.();
  }
}

main(JSON.parse(process.argv[2] ?? '{}') as CountJob).then(
  // A suite that leaves a timer or handle open must not keep the counted process alive.
  () => process.exit(0),
  (e: unknown) => {
    const skipped = e instanceof SkipBenchmark || (e as Error)?.name === 'SkipBenchmark';
    process.stderr.write(`${(e as Error)?.message ?? String(e)}\n`);
    process.exit(skipped ? EXIT_SKIPPED : 1);
  },
);

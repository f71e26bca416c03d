/**
 * The process that profiles one benchmark on one revision (./profile-pass.ts): loads the
 * revision's suite, sets the case up, warms it up, then calls it for a fixed time (at least a few
 * calls) under V8's CPU profiler (the inspector's `Profiler`, sampling every
 * {@link ProfileJob.intervalUs} µs) or, for `kind: 'heap'`, its sampling heap profiler
 * (`HeapProfiler.startSampling`), and writes the `.cpuprofile` or `.heapprofile` to `out`. Its job is its single
 * argument, a JSON {@link ProfileJob}; it prints `{"calls": N, "seconds": S}` of the profiled
 * calls, and exits 0 when done, {@link EXIT_SKIPPED} when the case cannot run here, 1 when it
 * failed (the message on stderr). Under `perf record` (a job with `perfControl`), it turns perf's
 * sampling on and off around the same calls.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { performance } from 'node:perf_hooks';
import { EXIT_SKIPPED } from '../measure/protocol.js';
import { loadSuite, selectCases } from '../measure/suite.js';
import { caseName, SkipBenchmark, type PreparedCase } from '../measure/suite-types.js';
import { perfControl } from './perf-record.js';
import type { ProfileJob } from './profile-job.js';

/** Calls `run` until `seconds` passed and at least `minCalls` were made; the calls made and seconds taken. */
async function callFor(
  c: PreparedCase,
  seconds: number,
  minCalls: number,
): Promise<{ calls: number; seconds: number }> {
  const start = performance.now();
  let calls = 0;
  while (calls < minCalls || performance.now() - start < seconds * 1000) {
    const r = c.run();
    if (r instanceof Promise) await r;
    calls++;
  }
  return { calls, seconds: (performance.now() - start) / 1000 };
}

async function main(job: ProfileJob): Promise<void> {
  const suite = await loadSuite(job.suite);
  const c = selectCases(suite, job.profile, null).find((x) => caseName(x) === job.name);
  if (c === undefined) throw new Error(`benchmark ${JSON.stringify(job.name)} is not in suite ${suite.name}`);
  const prepared = await c.setup();
  try {
    await callFor(prepared, job.warmupSeconds, 2);
    const session = new Session();
    session.connect();
    if (job.kind === 'heap') {
      await session.post('HeapProfiler.enable');
      // Objects the GCs collected again are counted: what a call allocates, not what it keeps.
      await session.post('HeapProfiler.startSampling', {
        samplingInterval: job.samplingBytes ?? 8192,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: true,
      });
      const done = await callFor(prepared, job.seconds, job.minCalls);
      const { profile } = await session.post('HeapProfiler.stopSampling');
      session.disconnect();
      writeFileSync(job.out, JSON.stringify(profile));
      process.stdout.write(`${JSON.stringify(done)}\n`);
      return;
    }
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: job.intervalUs });
    const perf = job.perfControl === undefined ? null : perfControl(job.perfControl);
    await session.post('Profiler.start');
    // Inside V8's profile, so that perf samples neither the profiler's start nor its stop.
    perf?.enable();
    const done = await callFor(prepared, job.seconds, job.minCalls);
    perf?.disable();
    perf?.close();
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    writeFileSync(job.out, JSON.stringify(profile));
    process.stdout.write(`${JSON.stringify(done)}\n`);
  } finally {
    prepared.teardown?.();
  }
}

main(JSON.parse(process.argv[2] ?? '{}') as ProfileJob).then(
  // A suite that leaves a timer or handle open must not keep the process alive.
  () => process.exit(0),
  (e: unknown) => {
    const skipped = e instanceof SkipBenchmark || (e as Error)?.name === 'SkipBenchmark';
    process.stderr.write(`${(e as Error)?.message ?? String(e)}\n`);
    process.exit(skipped ? EXIT_SKIPPED : 1);
  },
);

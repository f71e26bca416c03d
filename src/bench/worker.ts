/**
 * The worker process: the unit of measurement. It loads the suite fresh, runs the requested
 * benchmarks in the given order through tinybench (warm-up, time budget, samples), and sends one
 * summary per benchmark. A benchmark that throws is `errored` and one that cannot run here is
 * `skipped`, with the reason; the worker goes on with the next.
 */
import { Bench } from 'tinybench';
import { loadSuite, selectCases } from './suite.js';
import { caseName, SkipBenchmark } from './suite-types.js';
import type { WorkerJob, WorkerMessage, WorkerResult } from './protocol.js';

function send(message: WorkerMessage): Promise<void> {
  return new Promise((resolve, reject) => process.send!(message, (err: Error | null) => (err ? reject(err) : resolve())));
}

const empty = { samples: 0, medianSeconds: null, meanSeconds: null, minSeconds: null, maxSeconds: null, madSeconds: null };

async function measureOne(name: string, job: WorkerJob, setup: () => Promise<import('./suite-types.js').PreparedCase>): Promise<WorkerResult> {
  let prepared;
  try {
    prepared = await setup();
  } catch (e) {
    const skipped = e instanceof SkipBenchmark || (e as Error)?.name === 'SkipBenchmark';
    return { type: 'result', name, state: skipped ? 'skipped' : 'errored', reason: (e as Error)?.message ?? String(e), ...empty };
  }
  try {
    const bench = new Bench({
      time: job.taskTimeMs,
      iterations: job.minIterations,
      // Long enough for V8 to tier the code up (and caches to fill) before anything counts.
      warmupTime: Math.min(Math.max(job.taskTimeMs / 4, 30), 500),
      warmupIterations: 5,
      throws: true,
    });
    bench.add(name, prepared.run);
    await bench.run();
    const result = bench.tasks[0]?.result;
    if (!result || result.state !== 'completed') {
      const reason = result && 'error' in result ? result.error.message : `tinybench ended in state ${result?.state ?? 'unknown'}`;
      return { type: 'result', name, state: 'errored', reason, ...empty };
    }
    const l = result.latency;
    const s = (ms: number) => ms / 1000;
    return {
      type: 'result',
      name,
      state: 'completed',
      reason: null,
      samples: l.samplesCount,
      medianSeconds: s(l.p50),
      meanSeconds: s(l.mean),
      minSeconds: s(l.min),
      maxSeconds: s(l.max),
      madSeconds: s(l.mad),
      extraMemoryBytes: prepared.extraMemoryBytes ?? null,
    };
  } catch (e) {
    return { type: 'result', name, state: 'errored', reason: (e as Error)?.message ?? String(e), ...empty };
  } finally {
    prepared.teardown?.();
  }
}

async function main(job: WorkerJob): Promise<void> {
  const suite = await loadSuite(job.suite);
  const byName = new Map(selectCases(suite, job.profile, null).map((c) => [caseName(c), c]));
  for (const name of job.names) {
    await send({ type: 'started', name });
    const c = byName.get(name);
    const result = c
      ? await measureOne(name, job, async () => c.setup())
      : ({ type: 'result', name, state: 'skipped', reason: 'not in this revision of the suite', ...empty } as WorkerResult);
    await send(result);
  }
  await send({ type: 'done' });
}

// An orphaned worker (its scheduler was killed) stops instead of measuring on for nobody.
process.once('disconnect', () => process.exit(0));

process.once('message', (job: WorkerJob) => {
  main(job)
    .then(() => process.disconnect())
    .catch(async (e: unknown) => {
      await send({ type: 'fatal', message: (e as Error)?.stack ?? String(e) }).catch(() => undefined);
      process.exitCode = 1;
      process.disconnect();
    });
});

/**
 * The worker process: the unit of measurement. It loads the suite fresh, runs the requested
 * benchmarks in the given order and sends one summary per benchmark and side. With one side each
 * benchmark is timed by tinybench (warm-up, time budget, samples), or in a roofline job beside the
 * roof probes (./measure-beside-roofs.ts); with two, the base and head revisions' suites are both
 * loaded and each benchmark's two cases are timed in alternating blocks (./alternate.ts). A
 * benchmark that throws is `errored` and one that cannot run here is `skipped`, with the reason;
 * the worker goes on with the next.
 */
import { Bench } from 'tinybench';
import type { ProcessMeasurement, Side } from '../model.js';
import { allocatedPerCall, allocationCalls } from './allocations.js';
import { peakWindow } from './memory.js';
import { shuffleInPlace } from '../random.js';
import { alternate, blockLogRatio, summariseTimes, type TimedCase } from './alternate.js';
import { measureBesideRoofs } from './measure-beside-roofs.js';
import { loadSuite, selectCases } from './suite.js';
import { caseName, SkipBenchmark, type BenchmarkCase, type PreparedCase } from './suite-types.js';
import {
  NOTHING_MEASURED,
  WARMUP_CALLS,
  warmupMsFor,
  type WorkerJob,
  type WorkerMessage,
  type WorkerResult,
} from './protocol.js';

function send(message: WorkerMessage): Promise<void> {
  return new Promise((resolve, reject) =>
    process.send!(message, (err: Error | null) => (err ? reject(err) : resolve())),
  );
}

const message = (e: unknown) => (e as Error)?.message ?? String(e);
const failed = (name: string, side: Side, state: 'errored' | 'skipped', reason: string): WorkerResult => ({
  type: 'result',
  name,
  side,
  state,
  reason,
  ...NOTHING_MEASURED,
});

/**
 * Runs a case's setup: the prepared case, or the result saying why it cannot be measured. The peak
 * memory is the suite's own figure (beyond the fixture) when it reports one, else the resident
 * set's peak growth over the setup and one call.
 */
async function prepare(name: string, side: Side, c: BenchmarkCase | undefined): Promise<PreparedCase | WorkerResult> {
  if (c === undefined) return failed(name, side, 'skipped', 'not in this revision of the suite');
  try {
    const growth = peakWindow();
    const prepared = await c.setup();
    if (prepared.extraMemoryBytes !== undefined) return prepared;
    await prepared.run();
    return { ...prepared, extraMemoryBytes: growth() };
  } catch (e) {
    const skipped = e instanceof SkipBenchmark || (e as Error)?.name === 'SkipBenchmark';
    return failed(name, side, skipped ? 'skipped' : 'errored', message(e));
  }
}

const isResult = (p: PreparedCase | WorkerResult): p is WorkerResult => (p as WorkerResult).type === 'result';

/** The measures besides time of a prepared case: its peak memory, and JS bytes allocated per call (a pass after timing). */
async function otherMeasures(
  p: PreparedCase,
  medianSeconds: number | null,
  job: WorkerJob,
): Promise<ProcessMeasurement['values']> {
  const peak = p.extraMemoryBytes === undefined ? {} : { 'peak-memory': p.extraMemoryBytes };
  if (job.allocations !== true) return peak;
  try {
    const calls = allocationCalls(medianSeconds === null ? null : medianSeconds * 1000);
    return { ...peak, allocated: await allocatedPerCall(p.run, calls) };
  } catch {
    return peak; // the timed calls succeeded; a call failing here leaves only this figure out
  }
}

/** One side alone, timed by tinybench (or beside the roof probes in a roofline job). */
async function measureOne(
  name: string,
  side: Side,
  job: WorkerJob,
  c: BenchmarkCase | undefined,
): Promise<WorkerResult> {
  const prepared = await prepare(name, side, c);
  if (isResult(prepared)) return prepared;
  try {
    if (job.roofProbes === true) return await measureBesideRoofs(name, side, job, prepared);
    const bench = new Bench({
      time: job.taskTimeMs,
      iterations: job.minIterations,
      warmupTime: warmupMsFor(job.taskTimeMs),
      warmupIterations: WARMUP_CALLS,
      throws: true,
    });
    bench.add(name, prepared.run);
    await bench.run();
    const result = bench.tasks[0]?.result;
    if (!result || result.state !== 'completed') {
      return failed(
        name,
        side,
        'errored',
        result && 'error' in result ? result.error.message : `tinybench ended in state ${result?.state ?? 'unknown'}`,
      );
    }
    const l = result.latency;
    const s = (ms: number) => ms / 1000;
    return {
      type: 'result',
      name,
      side,
      state: 'completed',
      reason: null,
      samples: l.samplesCount,
      medianSeconds: s(l.p50),
      meanSeconds: s(l.mean),
      minSeconds: s(l.min),
      maxSeconds: s(l.max),
      madSeconds: s(l.mad),
      extraMemoryBytes: prepared.extraMemoryBytes ?? null,
      values: await otherMeasures(prepared, s(l.p50), job),
    };
  } catch (e) {
    return failed(name, side, 'errored', message(e));
  } finally {
    prepared.teardown?.();
  }
}

/** Both sides in this process: set up (in random order), then timed in alternating blocks. */
async function measurePaired(
  name: string,
  job: WorkerJob,
  cases: (BenchmarkCase | undefined)[],
): Promise<WorkerResult[]> {
  const results = new Map<number, WorkerResult>();
  const prepared = new Map<number, PreparedCase>();
  const order = Math.random() < 0.5 ? [0, 1] : [1, 0];
  for (const i of order) {
    const p = await prepare(name, job.sides[i]!.side, cases[i]);
    if (isResult(p)) results.set(i, p);
    else prepared.set(i, p);
  }
  try {
    const timed = [...prepared.entries()].map(([i, p]): TimedCase & { i: number } => ({
      i,
      side: job.sides[i]!.side,
      run: p.run,
    }));
    const times = await alternate(timed, {
      taskTimeMs: job.taskTimeMs,
      minIterations: job.minIterations,
      warmupMs: warmupMsFor(job.taskTimeMs),
      warmupIterations: WARMUP_CALLS,
    });
    for (const [k, t] of times.entries()) {
      const { i } = timed[k]!;
      results.set(
        i,
        t.error !== null
          ? failed(name, t.side, 'errored', t.error)
          : {
              type: 'result',
              name,
              side: t.side,
              state: 'completed',
              reason: null,
              ...summariseTimes(t.samplesMs),
              extraMemoryBytes: prepared.get(i)?.extraMemoryBytes ?? null,
            },
      );
    }
    // The pair's ratio block by block, on the head side (src/measure/paired-log-ratios.ts).
    const base = times.find((t) => t.side === 'base');
    const head = times.find((t) => t.side === 'head');
    const headResult = results.get(job.sides.findIndex((s) => s.side === 'head'));
    if (base?.error === null && head?.error === null && headResult?.state === 'completed')
      headResult.blockLogRatio = blockLogRatio(base, head);
    // The allocation passes come after all timing, each side in turn (in random order).
    for (const i of order) {
      const r = results.get(i);
      const p = prepared.get(i);
      if (r?.state === 'completed' && p) r.values = await otherMeasures(p, r.medianSeconds, job);
    }
  } finally {
    for (const p of prepared.values()) p.teardown?.();
  }
  return job.sides.map((_, i) => results.get(i)!);
}

async function main(job: WorkerJob): Promise<void> {
  // One suite instance per side. Two sides with the same module (an A/A comparison) get two
  // instances of it, its own imports still shared. The suites are imported one after the other in
  // random order: the one imported first has its modules evaluated and compiled first, and a fixed
  // order would give whatever that does to the same side in every round.
  const byName: Map<string, BenchmarkCase>[] = [];
  for (const i of shuffleInPlace(job.sides.map((_, i) => i))) {
    const s = job.sides[i]!;
    const suite = await loadSuite(
      s.suite,
      i > 0 && job.sides.slice(0, i).some((o) => o.suite === s.suite) ? `side=${s.side}` : undefined,
    );
    byName[i] = new Map(selectCases(suite, job.profile, null).map((c) => [caseName(c), c]));
  }
  for (const name of job.names) {
    await send({ type: 'started', name });
    const cases = byName.map((m) => m.get(name));
    const results =
      job.sides.length === 1
        ? [await measureOne(name, job.sides[0]!.side, job, cases[0])]
        : await measurePaired(name, job, cases);
    for (const r of results) await send(r);
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

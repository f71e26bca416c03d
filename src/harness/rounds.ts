/**
 * Rounds of a project's own harnesses: in each round every harness runs once on each revision,
 * the revisions in random order, and each run is one process measurement of each benchmark it
 * reports. A run that fails as a whole costs the benchmarks it was asked for (errored), not the
 * round; in round 1, where nothing is known yet, a head that fails stops the comparison and a base
 * that fails has none of them (they are reported as added).
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { HarnessEntry } from '../config/harnesses.js';
import type { BenchmarkId, ProcessMeasurement, Side, Work } from '../model.js';
import { shuffleInPlace } from '../random.js';
import { HarnessError, type HarnessAdapter, type HarnessFigures } from './adapter.js';
import { runHarnessOnce } from './run-once.js';

/** A process measurement of one benchmark by one run of its harness. */
export interface HarnessMeasured extends ProcessMeasurement {
  name: string;
  /** Index of the harness entry that measured it. */
  entry: number;
}

/** One revision's checkout. */
export interface HarnessSide {
  side: Side;
  /** The revision's checkout root. */
  root: string;
}

/** What a round runs. */
export interface HarnessRoundPlan {
  entries: HarnessEntry[];
  adapters: HarnessAdapter[];
  sides: HarnessSide[];
  /** Where benchgate was started, relative to the repository root: the default `cwd` of a harness. */
  within: string;
  /** benchgate's names of the benchmarks a side should measure this round; null = all. */
  only: (side: Side) => readonly string[] | null;
  /** A harness run that reports nothing for this long is killed. */
  timeoutMs: number;
  /** Seconds of timing per benchmark asked of the harnesses that have the knob ({@link sizeTiming}); null = theirs. */
  secondsPerBenchmark?: number | null;
  random?: () => number;
  onRun?: (e: { side: Side; harness: string; done: number; total: number; seconds: number }) => void;
}

/** A harness run that failed as a whole. */
export interface HarnessFailure {
  side: Side;
  entry: number;
  message: string;
}

/** No work figures: a harness's benchmark does what it does. */
const NO_WORK: Work = { flops: null, bytes: null };

/** benchgate's name of a harness's benchmark: `<prefix>/<its own name>`. */
export const benchgateName = (adapter: HarnessAdapter, own: string): string => `${adapter.prefix}/${own}`;

/**
 * A harness benchmark's identity in the store: kernel the harness's prefix, implementation its
 * own name, fixture the harness, and a checksum of the command (a changed command starts a new series).
 */
export function harnessIdentity(
  entry: HarnessEntry,
  adapter: HarnessAdapter,
  own: string,
): BenchmarkId & { work: Work } {
  return {
    name: benchgateName(adapter, own),
    kernel: adapter.prefix,
    implementation: own,
    fixture: entry.harness,
    fixtureChecksum: createHash('sha256').update(`${entry.harness}\0${entry.command}`).digest('hex').slice(0, 16),
    work: NO_WORK,
  };
}

function measurementOf(f: HarnessFigures, side: Side, round: number): ProcessMeasurement {
  const failure =
    f.failure ??
    (f.seconds === null ? { state: 'errored' as const, reason: 'the harness reported no time for it' } : null);
  const s = failure === null ? f.seconds : null;
  return {
    round,
    side,
    state: failure?.state ?? 'completed',
    reason: failure?.reason ?? null,
    samples: f.samples ?? 1,
    medianSeconds: s,
    meanSeconds: null,
    minSeconds: null,
    maxSeconds: null,
    madSeconds: null,
    ...(failure === null && Object.keys(f.values).length > 0 ? { values: { ...f.values } } : {}),
  };
}

/** Runs every harness once per side, in random side order; returns the measurements and the failed runs. */
export async function measureHarnessRound(
  plan: HarnessRoundPlan,
  round: number,
): Promise<{ measured: HarnessMeasured[]; failures: HarnessFailure[] }> {
  const random = plan.random ?? Math.random;
  const measured: HarnessMeasured[] = [];
  const failures: HarnessFailure[] = [];
  const runs = plan.entries.flatMap((entry, i) =>
    shuffleInPlace([...plan.sides], random).map((side) => ({ entry, i, side })),
  );
  let done = 0;
  for (const { entry, i, side } of runs) {
    const adapter = plan.adapters[i] as HarnessAdapter;
    const wanted = plan.only(side.side);
    const prefix = `${adapter.prefix}/`;
    const own = wanted === null ? null : wanted.filter((n) => n.startsWith(prefix)).map((n) => n.slice(prefix.length));
    if (own !== null && own.length === 0) continue;
    const started = performance.now();
    try {
      const figures = await runHarnessOnce(adapter, {
        command: entry.command,
        cwd: join(side.root, entry.cwd ?? plan.within),
        only: own,
        timeoutMs: plan.timeoutMs,
        secondsPerBenchmark: plan.secondsPerBenchmark ?? null,
      });
      for (const f of figures)
        measured.push({ ...measurementOf(f, side.side, round), name: benchgateName(adapter, f.name), entry: i });
    } catch (e) {
      if (!(e instanceof HarnessError)) throw e;
      failures.push({ side: side.side, entry: i, message: e.message });
      for (const name of own ?? [])
        measured.push({
          ...measurementOf(
            { name, seconds: null, values: {}, failure: { state: 'errored', reason: e.message } },
            side.side,
            round,
          ),
          name: benchgateName(adapter, name),
          entry: i,
        });
    }
    plan.onRun?.({
      side: side.side,
      harness: entry.harness,
      done: ++done,
      total: runs.length,
      seconds: (performance.now() - started) / 1000,
    });
  }
  return { measured, failures };
}

/** Seconds of timing per benchmark that round 1 asks for: a first look at each, whatever the budget. */
export const FIRST_ROUND_SECONDS = 0.1;

/**
 * Seconds of timing per benchmark for the rounds after the first, so that a round takes about
 * `roundSeconds`: the first round's figure scaled by how far its round missed that, as the time a
 * harness spends grows with its knob; between 20 ms and 1 s (the harnesses' own defaults are 0.5–5 s).
 */
export function sizeTiming(firstRoundSeconds: number, roundSeconds: number): number {
  const scaled = (FIRST_ROUND_SECONDS * roundSeconds) / Math.max(firstRoundSeconds, 1e-3);
  return Math.min(1, Math.max(0.02, scaled));
}

/**
 * Times the base and head cases of one benchmark in one process, alternating short blocks of
 * calls (base, head, head, base, …, the first side drawn at random). Whatever the process or the
 * machine does over those milliseconds (its heap, code placement, the CPU clock, a neighbour on the
 * host) lands on both sides alike, which cuts the per-round noise of ln(head/base) several-fold
 * (docs/method/detection.md). The roofline times a kernel beside the probes of the machine's roofs
 * the same way, the probes as followers (`share`) that take a call between the kernel's blocks.
 * tinybench times one task after another, so it cannot interleave two: this loop is written by
 * hand for that reason only, and reports the same summary tinybench does.
 */
import { median, medianAbsoluteDeviation } from 'simple-statistics';
import type { Side } from '../model.js';

/** One side's prepared callable; `side` names it (a revision, or a roof probe). */
export interface TimedCase<L extends string = Side> {
  side: L;
  run: () => unknown;
  /**
   * Makes the case a follower, timed beside the others rather than for its own sake: one call at a
   * time between their blocks, while its time is under `share` of theirs or it has fewer than the
   * minimum blocks, and never once they are done.
   */
  share?: number;
}

/** How long and how finely to alternate. */
export interface AlternateOptions {
  /** Time budget of each side, in milliseconds (as tinybench's `time`). */
  taskTimeMs: number;
  /** Minimum timed calls per side. */
  minIterations: number;
  /** Warm-up per side, in milliseconds and calls, before anything counts. */
  warmupMs: number;
  warmupIterations: number;
  /** Minimum blocks per side; a block is at least one call. */
  minBlocks?: number;
  random?: () => number;
}

/** What one side measured: every timed call in milliseconds, or why it stopped. */
export interface SideTimes<L extends string = Side> {
  side: L;
  samplesMs: number[];
  /** Calls in each of the side's blocks, in order: block k of one side ran next to block k of the other. */
  blockSizes: number[];
  /** The message of what the side's `run` threw (it is timed no further), else null. */
  error: string | null;
}

/** The summary a worker reports for one side (seconds), the same fields tinybench gives. */
export interface TimeSummary {
  samples: number;
  medianSeconds: number;
  meanSeconds: number;
  minSeconds: number;
  maxSeconds: number;
  madSeconds: number;
}

const isThenable = (x: unknown): x is PromiseLike<unknown> =>
  typeof (x as { then?: unknown } | null)?.then === 'function';

/** Calls `run` once and returns its time in milliseconds (awaiting it when it returns a promise). */
async function timeOne(run: () => unknown): Promise<number> {
  const start = performance.now();
  const r = run();
  if (isThenable(r)) await r;
  return performance.now() - start;
}

/** The block length: about a tenth of the budget, so each side gets ten or so, within 2–20 ms. */
export function blockMsFor(taskTimeMs: number): number {
  return Math.min(20, Math.max(2, taskTimeMs / 10));
}

/**
 * Alternates blocks of calls of the given cases until each has its budget, calls and blocks; a
 * follower (`share` set) only fills the gaps between the others' blocks.
 */
export async function alternate<L extends string = Side>(
  cases: TimedCase<L>[],
  o: AlternateOptions,
): Promise<SideTimes<L>[]> {
  const random = o.random ?? Math.random;
  const out = cases.map(
    (c): SideTimes<L> & { run: () => unknown; share: number | null; spentMs: number; blocks: number } => ({
      side: c.side,
      run: c.run,
      share: c.share ?? null,
      samplesMs: [],
      blockSizes: [],
      error: null,
      spentMs: 0,
      blocks: 0,
    }),
  );
  const minBlocks = o.minBlocks ?? 4;
  const blockMs = blockMsFor(o.taskTimeMs);
  const leaders = out.filter((s) => s.share === null);
  const alive = () => leaders.filter((s) => s.error === null);
  const leadersMs = () => leaders.reduce((sum, s) => sum + s.spentMs, 0);
  const guard = async (s: (typeof out)[number], body: () => Promise<void>) => {
    try {
      await body();
    } catch (e) {
      s.error = (e as Error)?.message ?? String(e);
    }
  };

  // Warm-up, one call at a time in turn, so both sides are compiled and cached alike; a follower
  // warms up by calls only.
  const warm = out.map(() => ({ ms: 0, calls: 0 }));
  const warming = (s: (typeof out)[number], w: { ms: number; calls: number }) =>
    s.error === null && ((s.share === null && w.ms < o.warmupMs) || w.calls < o.warmupIterations);
  while (out.some((s, i) => warming(s, warm[i] as { ms: number; calls: number }))) {
    for (const [i, s] of out.entries()) {
      const w = warm[i] as { ms: number; calls: number };
      if (!warming(s, w)) continue;
      await guard(s, async () => {
        w.ms += await timeOne(s.run);
        w.calls++;
      });
    }
  }

  // Blocks in the order A B B A A B …: a drift over the process is split evenly between the sides.
  let order = random() < 0.5 ? [...out] : [...out].reverse();
  const needsMore = (s: (typeof out)[number]) =>
    s.spentMs < o.taskTimeMs || s.samplesMs.length < o.minIterations || s.blocks < minBlocks;
  while (alive().some(needsMore)) {
    for (const s of order) {
      if (s.error !== null) continue;
      if (s.share !== null && s.blocks >= minBlocks && s.spentMs >= s.share * leadersMs()) continue;
      await guard(s, async () => {
        const start = performance.now();
        const before = s.samplesMs.length;
        do s.samplesMs.push(await timeOne(s.run));
        while (s.share === null && performance.now() - start < blockMs);
        s.spentMs += performance.now() - start;
        s.blocks++;
        s.blockSizes.push(s.samplesMs.length - before);
      });
    }
    order = order.reverse();
  }
  return out.map(({ side, samplesMs, blockSizes, error }) => ({ side, samplesMs, blockSizes, error }));
}

/**
 * ln(head/base) of one process taken block by block: the median, over the pairs of adjacent blocks
 * (block k of each side), of the log ratio of their median calls. A machine that changes speed
 * for a while (a neighbour on the host, a clock step) slows both blocks of a pair alike, where the
 * ratio of the two sides' overall medians jumps whenever one side drew a few more slow calls
 * (docs/method/real-regressions.md). Null when either side has no blocks.
 */
export function blockLogRatio(base: SideTimes<string>, head: SideTimes<string>): number | null {
  const blocks = (t: SideTimes<string>) => {
    const out: number[] = [];
    let at = 0;
    for (const n of t.blockSizes) {
      if (n > 0) out.push(median(t.samplesMs.slice(at, at + n)));
      at += n;
    }
    return out;
  };
  const b = blocks(base);
  const h = blocks(head);
  const ratios: number[] = [];
  for (let k = 0; k < Math.min(b.length, h.length); k++) {
    const r = Math.log((h[k] as number) / (b[k] as number));
    if (Number.isFinite(r)) ratios.push(r);
  }
  return ratios.length === 0 ? null : median(ratios);
}

/** The summary of a side's timed calls, in seconds. */
export function summariseTimes(samplesMs: number[]): TimeSummary {
  const s = (ms: number) => ms / 1000;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const x of samplesMs) {
    sum += x;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  return {
    samples: samplesMs.length,
    medianSeconds: s(median(samplesMs)),
    meanSeconds: s(sum / samplesMs.length),
    minSeconds: s(min),
    maxSeconds: s(max),
    madSeconds: s(medianAbsoluteDeviation(samplesMs)),
  };
}

import { describe, expect, it } from 'vitest';
import {
  alternate,
  blockLogRatio,
  blockMsFor,
  summariseTimes,
  type SideTimes,
} from '../../../src/measure/alternate.js';
import { seededRandom } from '../../../src/random.js';

/** Busy-waits `ms` milliseconds (a call of known length). */
const busy = (ms: number) => () => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};

const options = { taskTimeMs: 20, minIterations: 3, warmupMs: 2, warmupIterations: 2 };

describe('alternate', () => {
  it('times both sides in alternating blocks until each has its budget, calls and blocks', async () => {
    const log: string[] = [];
    const cases = [
      { side: 'base' as const, run: () => (log.push('base'), busy(0.5)()) },
      { side: 'head' as const, run: () => (log.push('head'), busy(1)()) },
    ];
    const [base, head] = await alternate(cases, { ...options, random: seededRandom(3) });
    expect(base?.error).toBeNull();
    expect(head?.error).toBeNull();
    // Twice as long per call shows as about twice the median.
    const ratio = summariseTimes(head!.samplesMs).medianSeconds / summariseTimes(base!.samplesMs).medianSeconds;
    expect(ratio).toBeGreaterThan(1.6);
    expect(ratio).toBeLessThan(2.4);
    for (const s of [base!, head!])
      expect(s.samplesMs.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(options.taskTimeMs * 0.95);
    // Block sizes cover every timed call, and the sides ran the same number of blocks (k-th next to k-th).
    for (const s of [base!, head!]) expect(s.blockSizes.reduce((a, b) => a + b, 0)).toBe(s.samplesMs.length);
    expect(Math.abs(base!.blockSizes.length - head!.blockSizes.length)).toBeLessThanOrEqual(1);
    // Runs of one side after warm-up: A B B A A B … gives runs of blocks, never one side throughout.
    const timed = log.slice(4);
    const switches = timed.filter((s, i) => i > 0 && s !== timed[i - 1]).length;
    expect(switches).toBeGreaterThanOrEqual(4);
  });

  it('gives a call longer than a block a block of its own, and keeps the minimum calls', async () => {
    const [a, b] = await alternate(
      [
        { side: 'base', run: busy(30) },
        { side: 'head', run: busy(30) },
      ],
      { ...options, taskTimeMs: 1, minIterations: 5, minBlocks: 2 },
    );
    expect(a!.samplesMs).toHaveLength(5);
    expect(b!.samplesMs).toHaveLength(5);
  });

  it('stops timing a side that throws and goes on with the other', async () => {
    let calls = 0;
    const [base, head] = await alternate(
      [
        {
          side: 'base',
          run: () => {
            if (++calls > 4) throw new Error('broke after warm-up');
          },
        },
        { side: 'head', run: busy(0.2) },
      ],
      options,
    );
    expect(base?.error).toBe('broke after warm-up');
    expect(head?.error).toBeNull();
    expect(head!.samplesMs.reduce((x, y) => x + y, 0)).toBeGreaterThanOrEqual(options.taskTimeMs * 0.95);
  });

  it("times a follower one call at a time between the leader's blocks, at its share of the time", async () => {
    const log: string[] = [];
    const [kernel, probe] = await alternate<'kernel' | 'probe'>(
      [
        { side: 'kernel', run: () => (log.push('kernel'), busy(0.5)()) },
        { side: 'probe', run: () => (log.push('probe'), busy(2)()), share: 0.25 },
      ],
      { ...options, taskTimeMs: 80, random: seededRandom(5) },
    );
    expect(kernel?.error).toBeNull();
    expect(probe?.error).toBeNull();
    // Warm-up by calls only: two probe calls, not the leader's warm-up milliseconds.
    const count = (side: string) => log.filter((s) => s === side).length;
    expect(count('probe') - probe!.samplesMs.length).toBe(options.warmupIterations);
    const nth = (side: string, n: number) => log.flatMap((s, i) => (s === side ? [i] : []))[n - 1] ?? -1;
    const warmEnd = Math.max(
      nth('kernel', count('kernel') - kernel!.samplesMs.length),
      nth('probe', options.warmupIterations),
    );
    const timed = log.slice(warmEnd + 1);
    // One call per block, at least the minimum blocks, and about a quarter of the leader's time.
    expect(probe!.blockSizes.every((n) => n === 1)).toBe(true);
    expect(probe!.samplesMs.length).toBeGreaterThanOrEqual(4);
    const spent = (t: number[]) => t.reduce((a, b) => a + b, 0);
    // Before its last call the follower was under its share, or under its minimum blocks.
    const beforeLast = spent(probe!.samplesMs.slice(0, -1));
    expect(beforeLast).toBeLessThanOrEqual(
      Math.max(0.25 * 1.1 * spent(kernel!.samplesMs), spent(probe!.samplesMs.slice(0, 3))),
    );
    // Spread over the leader's blocks: probe calls before its second block and after its second-to-last.
    const at = (side: string) => timed.flatMap((s, i) => (s === side ? [i] : []));
    const kernelCalls = at('kernel');
    let offset = 0;
    const kernelBlockStarts = kernel!.blockSizes.map((n) => kernelCalls[(offset += n) - n]!);
    const probeCalls = at('probe');
    expect(kernelBlockStarts.length).toBeGreaterThanOrEqual(6);
    expect(probeCalls[0]).toBeLessThan(kernelBlockStarts[1]!);
    expect(probeCalls.at(-1)).toBeGreaterThan(kernelBlockStarts.at(-2)!);
  });

  it('stops a follower when its leader throws', async () => {
    let calls = 0;
    const [kernel, probe] = await alternate<'kernel' | 'probe'>(
      [
        {
          side: 'kernel',
          run: () => {
            if (++calls > 3) throw new Error('kernel broke');
          },
        },
        { side: 'probe', run: busy(0.2), share: 0.25 },
      ],
      options,
    );
    expect(kernel?.error).toBe('kernel broke');
    expect(probe!.samplesMs.length).toBeLessThanOrEqual(1);
  });

  it('awaits a case that returns a promise, and times the wait', async () => {
    const [s] = await alternate([{ side: 'head', run: () => new Promise((r) => setTimeout(r, 5)) }], {
      ...options,
      taskTimeMs: 10,
    });
    expect(summariseTimes(s!.samplesMs).medianSeconds).toBeGreaterThanOrEqual(0.004);
  });
});

describe('blockMsFor', () => {
  it('is a tenth of the budget within 2–20 ms', () => {
    expect(blockMsFor(5)).toBe(2);
    expect(blockMsFor(60)).toBe(6);
    expect(blockMsFor(10_000)).toBe(20);
  });
});

describe('summariseTimes', () => {
  it('gives the median, mean, extremes and MAD in seconds', () => {
    expect(summariseTimes([1, 2, 3, 4, 100])).toEqual({
      samples: 5,
      medianSeconds: 0.003,
      meanSeconds: 0.022,
      minSeconds: 0.001,
      maxSeconds: 0.1,
      madSeconds: 0.001,
    });
  });
});

describe('blockLogRatio', () => {
  /** A side of 16 blocks of 5 calls, `ms` per call, 1.6 times that in the blocks `slow` holds. */
  const side = (name: 'base' | 'head', ms: number, slow: (k: number) => boolean): SideTimes => {
    const samplesMs: number[] = [];
    for (let k = 0; k < 16; k++) for (let c = 0; c < 5; c++) samplesMs.push(ms * (slow(k) ? 1.6 : 1) * (1 + c / 1000));
    return { side: name, samplesMs, blockSizes: Array<number>(16).fill(5), error: null };
  };

  it('sees the change through a machine that ran at two speeds, where the ratio of the medians does not', () => {
    // The machine slowed down for half the process; the slow spell began one block earlier for the
    // base than for the head (a boundary between the two blocks of a pair).
    const base = side('base', 3, (k) => k >= 3 && k < 12);
    const head = side('head', 3.15, (k) => k >= 4 && k < 12);
    const medians = Math.log(
      summariseTimes(head.samplesMs).medianSeconds / summariseTimes(base.samplesMs).medianSeconds,
    );
    expect(Math.abs(medians - Math.log(1.05))).toBeGreaterThan(0.1);
    expect(blockLogRatio(base, head)).toBeCloseTo(Math.log(1.05), 3);
  });

  it('pairs block k of one side with block k of the other, and is null without blocks', () => {
    const base: SideTimes = { side: 'base', samplesMs: [1, 1, 2, 4], blockSizes: [2, 1, 1], error: null };
    const head: SideTimes = { side: 'head', samplesMs: [2, 4, 8], blockSizes: [1, 1, 1], error: null };
    // Pairs: (1, 2), (2, 4), (4, 8): ln 2 each.
    expect(blockLogRatio(base, head)).toBeCloseTo(Math.log(2), 12);
    expect(blockLogRatio({ ...base, samplesMs: [], blockSizes: [] }, head)).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { alternate, blockMsFor, summariseTimes } from '../../../src/measure/alternate.js';
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

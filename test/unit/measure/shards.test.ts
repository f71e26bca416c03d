/** The shard partition: deterministic, complete, balanced by stored cost or by count; α split so the union stays at α. */
import { describe, expect, it } from 'vitest';
import { costFromHistory, partition, selectShard, type ShardItem } from '../../../src/measure/shards.js';
import { seededRandom, shuffleInPlace } from '../../../src/random.js';
import { holm } from '../../../src/stats/holm.js';
import { normalSf } from '../../../src/stats/normal-cdf.js';

const named = (count: number, cost: (i: number) => number | null = () => null): ShardItem[] =>
  Array.from({ length: count }, (_, i) => ({ name: `k${i % 7}/impl${i}/f`, cost: cost(i), inFamily: true }));

const loads = (items: ShardItem[], shards: number[], n: number) =>
  Array.from({ length: n }, (_, s) => items.reduce((sum, it, i) => sum + (shards[i] === s ? (it.cost ?? 1) : 0), 0));

describe('partition', () => {
  it('puts every benchmark in exactly one shard, the same whatever the listing order', () => {
    const items = named(41);
    const shards = partition(items, 4);
    expect(shards.every((s) => s >= 0 && s < 4)).toBe(true);
    const shuffled = shuffleInPlace([...items], seededRandom(7));
    const again = partition(shuffled, 4);
    const of = new Map(items.map((it, i) => [it.name, shards[i]]));
    shuffled.forEach((it, i) => expect(again[i]).toBe(of.get(it.name)));
  });

  it('balances by count without history: shard sizes differ by at most one', () => {
    const shards = partition(named(42), 4);
    const sizes = [0, 1, 2, 3].map((s) => shards.filter((x) => x === s).length);
    expect(sizes).toEqual([11, 11, 10, 10]);
  });

  it('balances by stored cost: one heavy benchmark gets a shard nearly to itself', () => {
    const items = named(13, (i) => (i === 0 ? 12 : 1));
    const shards = partition(items, 2);
    expect(loads(items, shards, 2).sort()).toEqual([12, 12]);
    expect(shards.filter((s) => s === shards[0]).length).toBe(1);
  });

  it('counts a benchmark without history as the median known cost', () => {
    const items = named(4, (i) => [4, 1, null, 2][i] ?? null);
    // Costs 4, 1, 2 (median fill), 2: LPT gives {4} and {1, 2, 2}... or loads 4 and 5.
    const shards = partition(items, 2);
    expect(
      loads(
        items.map((it) => ({ ...it, cost: it.cost ?? 2 })),
        shards,
        2,
      ).sort(),
    ).toEqual([4, 5]);
  });

  it('keeps 400 benchmarks of random cost within 2% of the mean load over 4 shards', () => {
    const random = seededRandom(19);
    const items = named(400, () => 0.1 + random() * 2);
    const l = loads(items, partition(items, 4), 4);
    const mean = l.reduce((a, b) => a + b, 0) / 4;
    for (const x of l) expect(Math.abs(x - mean) / mean).toBeLessThan(0.02);
  });
});

describe('costFromHistory', () => {
  it('is the floor for fast benchmarks, three calls for slow ones, null without history', () => {
    expect(costFromHistory([])).toBeNull();
    expect(costFromHistory([1e-6, 2e-6, 3e-6])).toBe(0.1);
    expect(costFromHistory([0.5, 0.4, 0.7, 0.6])).toBeCloseTo(1.65, 12);
  });
});

describe('selectShard', () => {
  it('splits α by each shard’s share of the family, and the shares add up to the whole', () => {
    const items = [...named(10), { name: 'only/head/x', cost: null, inFamily: false }];
    const parts = [1, 2, 3].map((k) => selectShard(items, { k, n: 3 }, 0.01));
    const all = parts.flatMap((p) => [...p.names]);
    expect(all.sort()).toEqual(items.map((i) => i.name).sort());
    expect(parts.reduce((s, p) => s + p.record.alpha, 0)).toBeCloseTo(0.01, 15);
    for (const p of parts) {
      expect(p.record).toMatchObject({ n: 3, familyAlpha: 0.01, familySize: 10, total: 11, balancedBy: 'count' });
      expect(p.record.alpha).toBeCloseTo((0.01 * p.record.familyBenchmarks) / 10, 15);
      expect(p.record.names).toEqual([...p.names]);
      expect(p.record.partition).toBe(parts[0]?.record.partition);
    }
  });

  it('places a name listed twice (removed, then added with a new fixture) once', () => {
    const items: ShardItem[] = [
      { name: 'a/x/1', cost: null, inFamily: false },
      { name: 'a/x/1', cost: null, inFamily: false },
      ...named(5),
    ];
    const parts = [1, 2].map((k) => selectShard(items, { k, n: 2 }, 0.01));
    expect(parts.filter((p) => p.names.has('a/x/1')).length).toBe(1);
    expect(parts[0]?.record.total).toBe(6);
  });

  it('changes the partition digest when the assignment changes', () => {
    const a = selectShard(named(8), { k: 1, n: 2 }, 0.01).record.partition;
    const b = selectShard(named(9), { k: 1, n: 2 }, 0.01).record.partition;
    expect(a).not.toBe(b);
  });
});

/**
 * The union bound, by simulation: m null benchmarks split into shards, each shard applying Holm
 * at α·k/m to its own p-values, independent or strongly correlated. The merged family-wise
 * false-alarm rate stays at most α (a run with any false alarm counts once).
 */
describe('merged family-wise false-alarm rate', () => {
  const ALPHA = 0.05;
  const simulate = (m: number, n: number, rho: number, runs: number, seed: number): number => {
    const random = seededRandom(seed);
    const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    const items = named(m);
    const shards = partition(items, n);
    const records = Array.from({ length: n }, (_, s) => selectShard(items, { k: s + 1, n }, ALPHA).record);
    let alarms = 0;
    for (let r = 0; r < runs; r++) {
      const common = gauss();
      const p = items.map(() => normalSf(Math.sqrt(rho) * common + Math.sqrt(1 - rho) * gauss()));
      const anyAlarm = records.some((rec, s) => {
        const mine = p.filter((_, i) => shards[i] === s);
        return holm(mine).some((q) => q < rec.alpha);
      });
      if (anyAlarm) alarms++;
    }
    return alarms / runs;
  };

  it('is at most α with independent tests (40 benchmarks, 4 shards)', () => {
    const rate = simulate(40, 4, 0, 20_000, 1);
    // Bonferroni's exact rate here is 1 - (1 - α/40)^40 = 0.0488; 3 standard errors above α fails.
    expect(rate).toBeLessThan(ALPHA + 3 * Math.sqrt((ALPHA * (1 - ALPHA)) / 20_000));
    expect(rate).toBeGreaterThan(0.04);
  });

  it('is at most α with correlated tests (400 benchmarks, 4 shards, ρ = 0.5)', () => {
    expect(simulate(400, 4, 0.5, 4_000, 2)).toBeLessThan(ALPHA);
  });
});

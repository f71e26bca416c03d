/**
 * Splitting a suite into N shards, one per CI job: every benchmark lands in exactly one shard, the
 * same one in every job (decided by name and stored cost only, never by what this job measured),
 * balanced by each benchmark's cost from the history when there is one, else by count. Each
 * shard tests its part of the family at α·k/m (k of the family's m benchmarks), so the merged
 * run's family-wise false-alarm rate stays at most α (a union bound: docs/method/shards.md).
 */
import { createHash } from 'node:crypto';
import type { ShardSpec } from '../config/schema.js';

/** A benchmark to place: its name, its cost (null when the history has none), and whether it is in the tested family. */
export interface ShardItem {
  name: string;
  cost: number | null;
  /** Compared on both sides (`compare`): counts towards the family whose α the shards split. */
  inFamily: boolean;
}

/** What a shard's run records in its settings, so a merge can check the shards make one whole. */
export interface ShardRecord {
  k: number;
  n: number;
  /** The family-wise α of the whole (unsharded) run. */
  familyAlpha: number;
  /** This shard's α: familyAlpha × familyShare. */
  alpha: number;
  /** This shard's part of the family: familyBenchmarks / familySize (0 when the family is empty). */
  familyShare: number;
  familyBenchmarks: number;
  familySize: number;
  /** Benchmarks placed over all shards (family or not). */
  total: number;
  /** `history` when stored costs balanced the shards, `count` when there were none. */
  balancedBy: 'history' | 'count';
  /** SHA-256 of the whole assignment (every name and its shard): equal in every shard of one run. */
  partition: string;
  /** This shard's benchmarks, by name (left out when longer than {@link NAMES_CHARS}: the report lists them anyway). */
  names?: string[];
}

/** Most characters of names a record carries (a run's settings are capped at 64 KiB). */
export const NAMES_CHARS = 32_000;

/** The median of numbers sorted ascending (not empty). */
function medianOf(sorted: readonly number[]): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Code-unit order: the same in every locale and Node build, unlike localeCompare. */
const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * A benchmark's cost per process from its stored per-process medians (seconds per call): a
 * process times a benchmark for about its task time and for at least `minCalls` calls, so the
 * cost is max(floor, minCalls × median). Null without history.
 */
export function costFromHistory(medians: readonly number[], floorSeconds = 0.1, minCalls = 3): number | null {
  const known = medians.filter((m) => Number.isFinite(m) && m > 0).sort((a, b) => a - b);
  return known.length === 0 ? null : Math.max(floorSeconds, minCalls * medianOf(known));
}

/**
 * The shard (0 … n-1) of each item, in the items' order. Longest processing time first: items by
 * cost, largest first (ties by name), each to the least loaded shard (ties to the lowest index).
 * An item without a cost counts as the median known cost; with no costs at all every item counts
 * 1, which deals the names out in name order, round robin: balanced by count.
 */
export function partition(items: readonly ShardItem[], n: number): number[] {
  const known = items.map((i) => i.cost).filter((c): c is number => c !== null && Number.isFinite(c) && c > 0);
  known.sort((a, b) => a - b);
  const fill = known.length === 0 ? 1 : medianOf(known);
  const cost = (i: ShardItem) => (i.cost !== null && Number.isFinite(i.cost) && i.cost > 0 ? i.cost : fill);
  const order = items.map((_, i) => i);
  order.sort(
    (a, b) => cost(items[b] as ShardItem) - cost(items[a] as ShardItem) || byCodeUnits(items[a]!.name, items[b]!.name),
  );
  const load = new Array<number>(n).fill(0);
  const out = new Array<number>(items.length).fill(0);
  for (const i of order) {
    let best = 0;
    for (let s = 1; s < n; s++) if ((load[s] as number) < (load[best] as number)) best = s;
    out[i] = best;
    load[best] = (load[best] as number) + cost(items[i] as ShardItem);
  }
  return out;
}

/** SHA-256 over every name and its shard, in name order. */
function partitionDigest(items: readonly ShardItem[], shards: readonly number[]): string {
  const rows = items.map((item, i) => `${shards[i]}\t${item.name}`);
  rows.sort((a, b) => byCodeUnits(a.slice(a.indexOf('\t') + 1), b.slice(b.indexOf('\t') + 1)));
  return createHash('sha256').update(rows.join('\n')).digest('hex');
}

/** One item per name: a name listed twice (a benchmark removed and added with a new fixture) is placed once. */
function byName(items: readonly ShardItem[]): ShardItem[] {
  const out = new Map<string, ShardItem>();
  for (const item of items) {
    const twin = out.get(item.name);
    out.set(
      item.name,
      twin === undefined
        ? { ...item }
        : {
            name: item.name,
            cost: twin.cost === null || item.cost === null ? (twin.cost ?? item.cost) : twin.cost + item.cost,
            inFamily: twin.inFamily || item.inFamily,
          },
    );
  }
  return [...out.values()];
}

/**
 * Places every benchmark and returns shard `spec.k`'s names (in the items' order) and its record:
 * its α is `alpha` × its share of the family. A name listed twice goes to one shard.
 */
export function selectShard(
  listed: readonly ShardItem[],
  spec: ShardSpec,
  alpha: number,
): { names: Set<string>; record: ShardRecord } {
  const items = byName(listed);
  const shards = partition(items, spec.n);
  const mine = items.filter((_, i) => shards[i] === spec.k - 1);
  const familySize = items.filter((i) => i.inFamily).length;
  const familyBenchmarks = mine.filter((i) => i.inFamily).length;
  const familyShare = familySize === 0 ? 0 : familyBenchmarks / familySize;
  const names = mine.map((i) => i.name);
  return {
    names: new Set(names),
    record: {
      k: spec.k,
      n: spec.n,
      familyAlpha: alpha,
      alpha: alpha * familyShare,
      familyShare,
      familyBenchmarks,
      familySize,
      total: items.length,
      balancedBy: items.some((i) => i.cost !== null) ? 'history' : 'count',
      partition: partitionDigest(items, shards),
      ...(JSON.stringify(names).length <= NAMES_CHARS ? { names } : {}),
    },
  };
}

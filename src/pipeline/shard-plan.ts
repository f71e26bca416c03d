/**
 * A pipeline's part of a sharded run (`--shard K/N`): each benchmark's cost from the stored
 * history, then its shard. The costs come from the project's testbed with the most main-branch
 * history runs, whichever machine this job landed on, so every job of one run (each on a runner
 * of its own, perhaps a different CPU) reads the same costs and places every benchmark alike.
 */
import type Database from 'better-sqlite3';
import { ConfigError } from '../config/parse.js';
import type { Config, ShardSpec } from '../config/schema.js';
import { costFromHistory, selectShard, type ShardRecord } from '../measure/shards.js';
import { loadSuite, selectCases } from '../measure/suite.js';
import { caseName } from '../measure/suite-types.js';
import { listProjects, projectTestbeds } from '../store/catalog.js';
import { historyFor } from '../store/history.js';

/** Earlier runs whose medians make a benchmark's cost. */
const COST_DEPTH = 5;

/** A listed benchmark: its identity in the store and whether it belongs to the tested family. */
export interface ListedBenchmark {
  name: string;
  fixtureChecksum: string;
  inFamily: boolean;
}

/** The testbed whose history prices the benchmarks: most main-branch runs, ties by key. */
function costTestbed(db: Database.Database, project: string, branch: string): string | null {
  const id = listProjects(db).find((p) => p.name === project)?.id;
  if (id === undefined) return null;
  const testbeds = projectTestbeds(db, id, branch);
  testbeds.sort((a, b) => b.runs - a.runs || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return testbeds[0]?.key ?? null;
}

/** Shard `spec`'s benchmarks among `listed`, balanced by stored cost where there is one, and its record. */
export function planShard(
  db: Database.Database,
  where: { project: string; mainBranch: string },
  listed: readonly ListedBenchmark[],
  spec: ShardSpec,
  alpha: number,
): { names: Set<string>; record: ShardRecord } {
  const testbedKey = costTestbed(db, where.project, where.mainBranch);
  const items = listed.map((b) => ({
    name: b.name,
    inFamily: b.inFamily,
    cost:
      testbedKey === null
        ? null
        : costFromHistory(
            historyFor(db, { ...b, project: where.project, testbedKey, benchmark: b.name, limit: COST_DEPTH }).flatMap(
              (h) => h.medians,
            ),
          ),
  }));
  return selectShard(items, spec, alpha);
}

/** A glob that matches exactly `name` (every character picomatch reads specially is escaped). */
const exactGlob = (name: string): string => name.replace(/[\\*?[\]{}()!+@|^$.]/g, '\\$&');

/**
 * `run --shard`: lists the suite's selected cases, picks the shard's, and returns them as a
 * `filter` of exact names (comma-separated globs, as `filter` takes them) with the shard's record.
 */
export async function suiteShard(
  db: Database.Database,
  config: Pick<Config, 'suite' | 'profile' | 'filter' | 'mainBranch' | 'alpha'> & { shard: ShardSpec },
  project: string,
): Promise<{ filter: string; record: ShardRecord }> {
  const cases = selectCases(await loadSuite(config.suite), config.profile, config.filter);
  const listed = cases.map((c) => ({ name: caseName(c), fixtureChecksum: c.fixtureChecksum, inFamily: true }));
  const { names, record } = planShard(
    db,
    { project, mainBranch: config.mainBranch },
    listed,
    config.shard,
    config.alpha,
  );
  const { k, n } = config.shard;
  if (names.size === 0)
    throw new ConfigError(`'shard' ${k}/${n} holds no benchmark: the suite selects ${listed.length}`, 'shard');
  const comma = [...names].find((name) => name.includes(',') || name.trim() !== name);
  if (comma !== undefined)
    throw new ConfigError(
      `'shard' cannot select the benchmark ${JSON.stringify(comma)}: its name has a comma or outer spaces`,
      'shard',
    );
  return { filter: [...names].map(exactGlob).join(','), record };
}

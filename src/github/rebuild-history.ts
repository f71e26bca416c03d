/**
 * The SQLite history, rebuilt from the data branch's run files: every file is stored in
 * chronological order, idempotently by run id, so rebuilding into a cached database only adds
 * the runs it lacks. A file that is not a valid run is skipped with a warning naming it: one bad
 * file must not stop every later job until someone deletes it by hand.
 *
 * A sharded history job (`shard: K/N`) pushes one file per shard. The shards of one commit are
 * one run: they are held until all N are there, joined by `merge`'s own checks and join, and
 * stored as one run whose id is derived from the shards' ids (so every rebuild stores the same
 * run once). Shards that never make a whole — one still running or failed, or shards that
 * disagree — are not stored, with a warning naming the missing shard or the disagreement.
 */
import type { RunReport } from '../model.js';
import { joinShardRuns, mergeProblems, shardRecordOf, type ShardReport } from '../report/merge-runs.js';
import { openStore, storeFault } from '../store/open.js';
import { saveRun } from '../store/runs.js';
import { ValidationError } from '../validate/check.js';
import { listRunFiles, readRunFile, RunFileError } from './run-files.js';

/** What a rebuild did: files found, runs new to the database, and the files skipped. */
export interface RebuiltHistory {
  files: number;
  added: number;
  skipped: string[];
}

/** A database constraint a run broke (its data, not the database, is at fault). */
const isConstraint = (e: unknown): boolean => String((e as { code?: unknown }).code).startsWith('SQLITE_CONSTRAINT');

/** The shard files of one commit's sharded run, by shard number; `done` once stored or refused. */
interface ShardGroup {
  byK: Map<number, ShardReport>;
  n: number;
  done: string | null;
}

/** Stores every valid run file under `root` into the database at `dbPath`; `warn` hears of each one skipped. */
export function rebuildHistory(
  root: string,
  dbPath: string,
  warn: (message: string) => void = () => undefined,
): RebuiltHistory {
  const files = listRunFiles(root);
  const db = openStore(dbPath);
  const skipped: string[] = [];
  const skip = (rel: string | string[], why: string) => {
    skipped.push(...(Array.isArray(rel) ? rel : [rel]));
    warn(`benchgate: skipped ${Array.isArray(rel) ? 'run files' : 'a run file'} of the data branch: ${why}`);
  };
  const groups = new Map<string, ShardGroup>();
  let added = 0;
  const store = (report: RunReport, rels: string[]) => {
    try {
      if (saveRun(db, report)) added++;
    } catch (e) {
      if (!isConstraint(e)) throw e;
      skip(
        rels.length === 1 ? (rels[0] as string) : rels,
        `${rels.join(', ')} cannot be stored: ${(e as Error).message}`,
      );
    }
  };
  /** Holds a shard's file until its commit's shards are all there, then stores them as one run. */
  const addShard = (rel: string, report: RunReport) => {
    let shard: ShardReport;
    try {
      shard = { source: rel, report, shard: shardRecordOf(report.settings) };
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      return skip(rel, `${rel} is a shard's run with a bad record: ${e.message}`);
    }
    const key = JSON.stringify([report.kind, report.project, report.head.sha, shard.shard.n, shard.shard.partition]);
    const group = groups.get(key) ?? { byK: new Map(), n: shard.shard.n, done: null };
    groups.set(key, group);
    if (group.done !== null) return skip(rel, `${rel}: shard ${shard.shard.k}/${group.n} of a run ${group.done}`);
    // A re-run shard job writes a newer file for its shard: the newest one counts.
    group.byK.set(shard.shard.k, shard);
    if (group.byK.size < group.n) return;
    const shards = [...group.byK.values()];
    const rels = shards.map((s) => s.source);
    const problems = mergeProblems(shards);
    if (problems.length > 0) {
      group.done = 'whose shards do not make one run, so it was not stored';
      skip(rels, `the shards ${rels.join(', ')} do not make one run: ${problems.join('; ')}`);
      return;
    }
    group.done = 'already stored';
    store(joinShardRuns(shards), rels);
  };
  try {
    for (const rel of files) {
      let report: RunReport;
      try {
        report = readRunFile(root, rel);
      } catch (e) {
        if (!(e instanceof RunFileError)) throw e;
        skip(rel, e.message);
        continue;
      }
      if (report.settings.shard !== undefined) addShard(rel, report);
      else store(report, [rel]);
    }
    const commitOf = (g: ShardGroup) => {
      const r = ([...g.byK.values()][0] as ShardReport).report;
      return JSON.stringify([r.kind, r.project, r.head.sha, g.n]);
    };
    for (const group of groups.values()) {
      if (group.done !== null) continue;
      const first = [...group.byK.values()][0] as ShardReport;
      const split = [...groups.values()].some((g) => g !== group && commitOf(g) === commitOf(group));
      const missing = Array.from({ length: group.n }, (_, i) => i + 1).filter((k) => !group.byK.has(k));
      const rels = [...group.byK.values()].map((s) => s.source);
      skip(
        rels,
        `the run of commit ${String(first.report.head.sha).slice(0, 12)} in ${group.n} shards is not stored yet: shard ${missing.map((k) => `${k}/${group.n}`).join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing (still running, or failed)${split ? '; other shards of this commit hold another partition (the jobs read different histories)' : ''} — ${rels.join(', ')}`,
      );
    }
    return { files: files.length, added, skipped };
  } catch (e) {
    throw storeFault(e, dbPath) ?? e;
  } finally {
    db.close();
  }
}

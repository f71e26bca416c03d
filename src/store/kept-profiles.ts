/**
 * Profiles kept by history runs (`keep-profiles`): for each benchmark a run profiled, its
 * functions and their self time per call (a result's `keptProfile`, migration 11) or their own
 * count per call where the profiler counts (`keptCountProfile`, migration 12: instructions, bytes),
 * stored with the run by saveRun; and the latest one kept before a run on the same project,
 * testbed and benchmark, which that run's regression is compared against.
 */
import type Database from 'better-sqlite3';
import { MAX_KEPT_FUNCTIONS, type KeptCount, type KeptCounts, type KeptFunction } from '../model.js';

export { MAX_KEPT_FUNCTIONS, type KeptFunction } from '../model.js';

/** Smallest share of the whole self time (or count) per call a kept function has: the tail is sampling noise. */
export const MIN_KEPT_SHARE = 0.001;

/** The largest of `items` by `value`: at most {@link MAX_KEPT_FUNCTIONS}, none zero or below {@link MIN_KEPT_SHARE} of the whole. */
function largestKept<T>(items: readonly T[], value: (t: T) => number): T[] {
  const total = items.reduce((sum, t) => sum + value(t), 0);
  return items
    .filter((t) => value(t) > 0 && value(t) >= MIN_KEPT_SHARE * total)
    .sort((a, b) => value(b) - value(a))
    .slice(0, MAX_KEPT_FUNCTIONS);
}

/**
 * The functions worth keeping: largest self time first, at most {@link MAX_KEPT_FUNCTIONS}, none
 * below {@link MIN_KEPT_SHARE}, each to a nanosecond (as stored, so a run and its stored copy agree).
 */
export function functionsToKeep(functions: readonly KeptFunction[]): KeptFunction[] {
  return largestKept(functions, (f) => f.msPerCall).map((f) => ({
    function: f.function,
    file: f.file,
    line: f.line,
    msPerCall: roundMs(f.msPerCall),
  }));
}

/** The counts worth keeping, as {@link functionsToKeep} picks self times, each to a hundredth. */
export function countsToKeep(counts: readonly KeptCount[]): KeptCount[] {
  return largestKept(counts, (f) => f.perCall).map((f) => ({
    function: f.function,
    file: f.file,
    line: f.line,
    perCall: Math.round(f.perCall * 100) / 100,
  }));
}

/** A kept count profile's functions as `functions_json` holds them: trimmed, `[function, file, line, perCall]`. */
export function keptCountsJson(counts: readonly KeptCount[]): string {
  return JSON.stringify(countsToKeep(counts).map((f) => [f.function, f.file, f.line, f.perCall]));
}

/** A kept profile's functions as `functions_json` holds them: trimmed, `[function, file, line, msPerCall]`. */
export function keptFunctionsJson(functions: readonly KeptFunction[]): string {
  return JSON.stringify(functionsToKeep(functions).map((f) => [f.function, f.file, f.line, f.msPerCall]));
}

/** Milliseconds to a nanosecond: enough for any function a differential lists. */
const roundMs = (x: number): number => Math.round(x * 1e6) / 1e6;

/** A profile an earlier run kept: which run, of which commit, and its functions. */
export interface KeptProfile {
  runId: string;
  /** The run's head commit (null outside git). */
  sha: string | null;
  startedAt: string;
  calls: number;
  functions: KeptFunction[];
}

/** The run a kept profile came from, as a note names it: `run 3f… (commit abc1234, 2026-12-03)`. */
function keptRunLabel(kept: { runId: string; sha: string | null; startedAt: string }): string {
  const commit = kept.sha === null ? 'no commit' : `commit ${kept.sha.slice(0, 7)}`;
  return `run ${kept.runId} (${commit}, ${kept.startedAt.slice(0, 10)})`;
}

/** A kept profile whose stored functions cannot be read: names the run. */
export class KeptProfileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeptProfileError';
  }
}

/** A count profile an earlier run kept: which run, of which commit, and its counts. */
export interface KeptCountProfile extends Omit<KeptCounts, 'functions'> {
  runId: string;
  sha: string | null;
  startedAt: string;
  functions: KeptCount[];
}

/** Which benchmark's kept profile to look for. */
export interface KeptProfileQuery {
  project: string;
  testbedKey: string;
  benchmark: string;
  fixtureChecksum: string;
}

/**
 * The latest profile kept by a history run of the same project and testbed for this benchmark
 * (same fixture checksum), or null when none was kept; throws {@link KeptProfileError} naming the
 * run when the stored functions are not what {@link saveKeptProfiles} writes.
 */
export function latestKeptProfile(db: Database.Database, q: KeptProfileQuery): KeptProfile | null {
  const row = db
    .prepare(
      `SELECT k.run_id, k.calls, k.functions_json, r.head_sha, r.started_at
       FROM benchmark b
         JOIN project p ON p.id = b.project_id AND p.name = ?
         JOIN kept_profile k ON k.benchmark_id = b.id
         JOIN run r ON r.id = k.run_id AND r.kind = 'history'
         JOIN testbed t ON t.id = r.testbed_id AND t.key = ?
       WHERE b.name = ? AND b.fixture_checksum = ?
       ORDER BY r.rowid DESC
       LIMIT 1`,
    )
    .get(q.project, q.testbedKey, q.benchmark, q.fixtureChecksum) as
    { run_id: string; calls: number; functions_json: string; head_sha: string | null; started_at: string } | undefined;
  if (row === undefined) return null;
  return {
    runId: row.run_id,
    sha: row.head_sha,
    startedAt: row.started_at,
    calls: row.calls,
    functions: parseKeptFunctions(row.functions_json, `the profile of ${q.benchmark} kept by run ${row.run_id}`),
  };
}

/**
 * The latest count profile in `unit` kept by a history run of the same project and testbed for
 * this benchmark (same fixture checksum), or null; throws {@link KeptProfileError} as
 * {@link latestKeptProfile} does.
 */
export function latestKeptCountProfile(
  db: Database.Database,
  q: KeptProfileQuery & { unit: KeptCounts['unit'] },
): KeptCountProfile | null {
  const row = db
    .prepare(
      `SELECT k.run_id, k.profiler, k.calls, k.functions_json, r.head_sha, r.started_at
       FROM benchmark b
         JOIN project p ON p.id = b.project_id AND p.name = ?
         JOIN kept_count_profile k ON k.benchmark_id = b.id AND k.unit = ?
         JOIN run r ON r.id = k.run_id AND r.kind = 'history'
         JOIN testbed t ON t.id = r.testbed_id AND t.key = ?
       WHERE b.name = ? AND b.fixture_checksum = ?
       ORDER BY r.rowid DESC
       LIMIT 1`,
    )
    .get(q.project, q.unit, q.testbedKey, q.benchmark, q.fixtureChecksum) as
    | {
        run_id: string;
        profiler: string;
        calls: number;
        functions_json: string;
        head_sha: string | null;
        started_at: string;
      }
    | undefined;
  if (row === undefined) return null;
  return {
    runId: row.run_id,
    sha: row.head_sha,
    startedAt: row.started_at,
    unit: q.unit,
    profiler: row.profiler,
    calls: row.calls,
    functions: parseKeptCounts(row.functions_json, `the ${q.unit} profile of ${q.benchmark} kept by run ${row.run_id}`),
  };
}

/** Which kept profile a result's regression looks for: its project and testbed, its name and fixture. */
export function keptQuery(
  where: { project: string; testbedKey: string },
  b: { name: string; fixtureChecksum: string },
): KeptProfileQuery {
  return {
    project: where.project,
    testbedKey: where.testbedKey,
    benchmark: b.name,
    fixtureChecksum: b.fixtureChecksum,
  };
}

/** The latest kept self times of a benchmark as its regression is compared against them (run named for the note), or null. */
export function earlierKept(
  db: Database.Database,
  q: KeptProfileQuery,
): { label: string; functions: KeptFunction[] } | null {
  const kept = latestKeptProfile(db, q);
  return kept === null ? null : { label: keptRunLabel(kept), functions: kept.functions };
}

/** The latest kept counts in `unit` of a benchmark as its regression is compared against them, or null. */
export function earlierKeptCounts(
  db: Database.Database,
  q: KeptProfileQuery,
  unit: KeptCounts['unit'],
): { label: string; functions: KeptCount[] } | null {
  const kept = latestKeptCountProfile(db, { ...q, unit });
  return kept === null ? null : { label: keptRunLabel(kept), functions: kept.functions };
}

/** Reads a kept profile's `functions_json`: an array of `[function, file, line, msPerCall]`. */
export function parseKeptFunctions(json: string, what: string): KeptFunction[] {
  return parseKeptRows(json, what, 'ms per call').map(([fn, file, line, ms]) => ({
    function: fn,
    file,
    line,
    msPerCall: ms,
  }));
}

/** Reads a kept count profile's `functions_json`: an array of `[function, file, line, perCall]`. */
export function parseKeptCounts(json: string, what: string): KeptCount[] {
  return parseKeptRows(json, what, 'count per call').map(([fn, file, line, perCall]) => ({
    function: fn,
    file,
    line,
    perCall,
  }));
}

/** The `[function, file, line, value]` rows of a kept profile's `functions_json`, checked. */
function parseKeptRows(json: string, what: string, value: string): [string, string, number, number][] {
  let rows: unknown;
  try {
    rows = JSON.parse(json);
  } catch (e) {
    throw new KeptProfileError(`${what} is not JSON (${(e as Error).message.slice(0, 200)})`);
  }
  if (!Array.isArray(rows) || rows.length > MAX_KEPT_FUNCTIONS)
    throw new KeptProfileError(`${what} must be an array of at most ${MAX_KEPT_FUNCTIONS} functions`);
  return rows.map((r: unknown, i) => {
    const [fn, file, line, ms] = Array.isArray(r) ? (r as unknown[]) : [];
    if (
      !Array.isArray(r) ||
      r.length !== 4 ||
      typeof fn !== 'string' ||
      typeof file !== 'string' ||
      typeof line !== 'number' ||
      !Number.isSafeInteger(line) ||
      line < 0 ||
      typeof ms !== 'number' ||
      !Number.isFinite(ms) ||
      ms < 0
    )
      throw new KeptProfileError(
        `${what}: function ${i} must be [name, file, line ≥ 0, ${value} ≥ 0], got ${JSON.stringify(r)?.slice(0, 120)}`,
      );
    return [fn.slice(0, 500), file.slice(0, 2000), line, ms];
  });
}

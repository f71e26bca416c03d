/** Read queries behind the API's lists: projects, testbeds, benchmarks and runs. */
import type Database from 'better-sqlite3';
import type { BenchmarkSummary, Revision, RunKind, RunListItem, TestbedSummary } from '../model.js';
import { benchmarkIdentityFromRow, testbedFromRow } from './runs.js';

type Row = Record<string, unknown>;

/** A project row. */
export interface ProjectRow {
  id: number;
  name: string;
}

/** Every project, by name. */
export function listProjects(db: Database.Database): ProjectRow[] {
  return db.prepare('SELECT id, name FROM project ORDER BY name').all() as ProjectRow[];
}

/** One project by id, or null. */
export function findProject(db: Database.Database, id: number): ProjectRow | null {
  return (db.prepare('SELECT id, name FROM project WHERE id = ?').get(id) as ProjectRow | undefined) ?? null;
}

/** Counts of a project's benchmarks and runs, and its newest run's start. */
export function projectCounts(
  db: Database.Database,
  projectId: number,
): { benchmarks: number; runs: number; latestRunAt: string | null } {
  const b = db.prepare('SELECT count(*) AS n FROM benchmark WHERE project_id = ?').get(projectId) as { n: number };
  const r = db
    .prepare('SELECT count(*) AS n, max(started_at) AS latest FROM run WHERE project_id = ?')
    .get(projectId) as { n: number; latest: string | null };
  return { benchmarks: b.n, runs: r.n, latestRunAt: r.latest };
}

const testbedOf = (r: Row): TestbedSummary => ({
  id: r.id as number,
  ...testbedFromRow(r),
  runs: (r.runs as number | undefined) ?? 0,
});

/** Testbeds with history runs of `branch` in a project, the one with the newest run first. */
export function projectTestbeds(db: Database.Database, projectId: number, branch: string): TestbedSummary[] {
  const rows = db
    .prepare(
      `SELECT t.*, count(run.id) AS runs, max(run.rowid) AS newest FROM testbed t
       JOIN run ON run.testbed_id = t.id AND run.project_id = ? AND run.kind = 'history' AND run.head_ref = ?
       GROUP BY t.id ORDER BY newest DESC`,
    )
    .all(projectId, branch) as Row[];
  return rows.map(testbedOf);
}

/** One testbed by id (with its run count in a project and branch), or null. */
export function findTestbed(
  db: Database.Database,
  id: number,
  projectId: number,
  branch: string,
): TestbedSummary | null {
  const row = db
    .prepare(
      `SELECT t.*, (SELECT count(*) FROM run WHERE run.testbed_id = t.id AND run.project_id = ? AND run.kind = 'history' AND run.head_ref = ?) AS runs
       FROM testbed t WHERE t.id = ?`,
    )
    .get(projectId, branch, id) as Row | undefined;
  return row ? testbedOf(row) : null;
}

const benchmarkOf = (r: Row): BenchmarkSummary => ({ id: r.id as number, ...benchmarkIdentityFromRow(r) });

/** A project's benchmarks, by kernel then name. */
export function listBenchmarks(db: Database.Database, projectId: number): BenchmarkSummary[] {
  return (
    db.prepare('SELECT * FROM benchmark WHERE project_id = ? ORDER BY kernel, name, id').all(projectId) as Row[]
  ).map(benchmarkOf);
}

/** One benchmark of a project, or null. */
export function findBenchmark(db: Database.Database, projectId: number, id: number): BenchmarkSummary | null {
  const row = db.prepare('SELECT * FROM benchmark WHERE id = ? AND project_id = ?').get(id, projectId) as
    Row | undefined;
  return row ? benchmarkOf(row) : null;
}

const revision = (r: Row, p: 'head' | 'base'): Revision => ({
  sha: r[`${p}_sha`] as string | null,
  ref: r[`${p}_ref`] as string | null,
  dirty: r[`${p}_dirty`] === 1,
  message: r[`${p}_message`] as string | null,
  committedAt: r[`${p}_committed_at`] as string | null,
});

/** Which of a project's runs to list; an absent field does not filter. */
export interface RunFilter {
  kind?: RunKind;
  /** The head's branch (`head.ref`). */
  branch?: string;
  /** The testbed's fingerprint (`testbed.key`). */
  testbedKey?: string;
  /** Only runs that kept a profile (`keep-profiles`) of some benchmark. */
  kept?: boolean;
}

/** A project's runs that pass `filter`, newest first, `limit` at most. */
export function listRuns(
  db: Database.Database,
  projectId: number,
  limit: number,
  filter: RunFilter = {},
): RunListItem[] {
  const clauses: [string, unknown[]][] = [['run.project_id = ?', [projectId]]];
  if (filter.kind !== undefined) clauses.push(['run.kind = ?', [filter.kind]]);
  if (filter.branch !== undefined) clauses.push(['run.head_ref = ?', [filter.branch]]);
  if (filter.testbedKey !== undefined)
    clauses.push(['run.testbed_id = (SELECT id FROM testbed WHERE key = ?)', [filter.testbedKey]]);
  if (filter.kept === true)
    clauses.push([
      `(EXISTS (SELECT 1 FROM kept_profile k WHERE k.run_id = run.id)
        OR EXISTS (SELECT 1 FROM kept_count_profile k WHERE k.run_id = run.id))`,
      [],
    ]);
  const where = clauses.map(([sql]) => sql).join(' AND ');
  const args = clauses.flatMap(([, a]) => a);
  const rows = db
    .prepare(`SELECT run.* FROM run WHERE ${where} ORDER BY run.rowid DESC LIMIT ?`)
    .all(...args, limit) as Row[];
  return rows.map((r) => ({
    id: r.id as string,
    kind: r.kind as RunListItem['kind'],
    profile: r.profile as string,
    startedAt: r.started_at as string,
    testbedId: r.testbed_id as number,
    head: revision(r, 'head'),
    base: r.base_dirty === null ? null : revision(r, 'base'),
    summary: JSON.parse(r.summary_json as string) as RunListItem['summary'],
  }));
}

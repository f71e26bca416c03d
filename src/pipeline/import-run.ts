/**
 * `import`: results a team's own benchmark job already produced (a pytest-benchmark or Google
 * Benchmark JSON report, `go test -bench` output, a hyperfine export, a `json` document), stored as
 * a history run as if `run` had measured them: each file is one run of the harness, so one
 * process measurement (round = its place in the list) of each benchmark in it, judged against the
 * earlier history of the same testbed. Every file is read and checked before anything is stored.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { HarnessEntry, HarnessKind } from '../config/harnesses.js';
import { nameGlob } from '../config/name-glob.js';
import { projectName } from '../config/project-name.js';
import type { Config } from '../config/schema.js';
import { UserError } from '../errors.js';
import { git } from '../git/git.js';
import { commitRevision, currentRevision } from '../git/revision.js';
import { HarnessError, type HarnessAdapter, type HarnessFigures } from '../harness/adapter.js';
import { adapterFor } from '../harness/adapters.js';
import { harnessIdentity, measureHarnessRound, type HarnessMeasured } from '../harness/rounds.js';
import { runtimeProbe } from '../measure/probe.js';
import { detectTestbed } from '../measure/testbed.js';
import type { ProcessMeasurement, Revision, RunReport, Testbed } from '../model.js';
import { newRunReport } from '../report/run-report.js';
import { DEFAULT_CHANGE_POINTS, recomputeStale } from '../store/change-points.js';
import { openStore, storeFault } from '../store/open.js';
import { saveRun } from '../store/runs.js';
import { markSeriesStale } from '../store/series.js';
import { historyResult } from './history-results.js';

/** Largest file imported (a pytest-benchmark report keeps every round's timing: megabytes a benchmark). */
export const MAX_IMPORT_FILE_BYTES = 256 * 1024 * 1024;

/** Most files one import takes: one a round, as many as `rounds` allows. */
export const MAX_IMPORT_FILES = 1000;

/** The `--testbed` value that means this machine: the files were measured where benchgate runs now. */
export const THIS_MACHINE = 'here';

/** What to import, and what the files cannot say about themselves. */
export interface ImportOptions {
  harness: HarnessKind;
  /** The output files, one per run of the harness (paths relative to `cwd`). */
  files: string[];
  /**
   * The machine that measured them: a name of the team's choosing (`ci-ubuntu-4core`), hashed into
   * the testbed key, or {@link THIS_MACHINE}. History is only compared within one testbed.
   */
  testbed: string;
  /** The command that produced them; part of the series' identity, as a configured harness's command. */
  command?: string | null;
  /** The measured commit; default the checkout at `cwd`. */
  sha?: string | null;
  /** Its branch (the main branch's history runs make the series); default the checkout's. */
  ref?: string | null;
}

/** Reads, checks and stores `o.files` as one history run; returns its report. Nothing is stored when any file is bad. */
export async function importRun(config: Config, cwd: string, o: ImportOptions): Promise<RunReport> {
  const startedAt = new Date().toISOString();
  const entry: HarnessEntry = {
    harness: o.harness,
    command: o.command ?? '',
    cwd: null,
    name: null,
    runs: null,
    warmup: null,
  };
  const adapter = importingAdapter(entry);
  if (o.files.length === 0) throw new UserError('import: name at least one file to import');
  if (o.files.length > MAX_IMPORT_FILES)
    throw new UserError(`import: ${o.files.length} files, more than ${MAX_IMPORT_FILES} (one a round)`);
  const testbed = await importTestbed(o.testbed);
  const head = importedRevision(cwd, o);
  const selected = config.filter === null ? () => true : nameGlob(config.filter);

  const measured: HarnessMeasured[] = [];
  for (const [i, file] of o.files.entries())
    measured.push(...(await replay(adapter, entry, file, parseFile(adapter, resolve(cwd, file), file), i + 1)));
  const kept = measured.filter((m) => selected(m.name));
  const names = [...new Set(kept.map((m) => m.name))];
  if (names.length === 0)
    throw new HarnessError(
      config.filter === null
        ? `import: the files hold no benchmark`
        : `import: 'filter' matched no benchmark in the files: '${config.filter}'`,
    );

  const db = openStore(config.db);
  try {
    const project = config.project ?? projectName(cwd);
    const judging = {
      db,
      project,
      testbedKey: testbed.key,
      policy: { measures: config.measures, benchmarks: config.benchmarkRules },
      threshold: config.threshold,
    };
    const benchmarks = names.map((name) =>
      historyResult(
        judging,
        harnessIdentity(entry, adapter, name.slice(adapter.prefix.length + 1)),
        kept.filter((m) => m.name === name).map(strip),
      ),
    );
    const report = newRunReport({
      kind: 'history',
      project,
      profile: config.profile,
      startedAt,
      testbed,
      head,
      base: null,
      settings: {
        rounds: o.files.length,
        filter: config.filter,
        thresholdPct: config.threshold,
        harnesses: [{ harness: entry.harness, command: entry.command }],
        imported: { files: o.files, testbed: o.testbed },
      },
      benchmarks,
    });
    saveRun(db, report);
    if (markSeriesStale(db, report.id, config.mainBranch) > 0)
      recomputeStale(db, { ...DEFAULT_CHANGE_POINTS, window: config.changePointWindow });
    return report;
  } catch (e) {
    throw storeFault(e, config.db) ?? e;
  } finally {
    db.close();
  }
}

/** An adapter that can read a file written elsewhere. */
type Importing = HarnessAdapter & { parse: NonNullable<HarnessAdapter['parse']> };

/** The harness's adapter, when it can read a file written elsewhere. */
function importingAdapter(entry: HarnessEntry): Importing {
  if (entry.harness === 'command')
    throw new UserError(
      `import: the 'command' harness times a command itself and writes no file to import; write a 'json' document instead`,
      'harness',
    );
  const adapter = adapterFor(entry);
  const parse = adapter.parse;
  if (parse === undefined)
    throw new UserError(
      `import: benchgate cannot import ${entry.harness} output files (its results are a folder, not one file)`,
      'harness',
    );
  return { ...adapter, parse };
}

/** One file's figures; the error names the file (as given) and what was wrong with it. */
function parseFile(adapter: Importing, path: string, file: string): HarnessFigures[] {
  const bad = (what: string) => new HarnessError(`import: ${file}: ${what}`);
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw bad('is not a plain file');
    size = stat.size;
  } catch (e) {
    if (e instanceof HarnessError) throw e;
    throw bad(
      (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `cannot be read (${(e as Error).message})`,
    );
  }
  if (size > MAX_IMPORT_FILE_BYTES) throw bad(`is ${size} bytes, more than ${MAX_IMPORT_FILE_BYTES}`);
  const text = readFileSync(path, 'utf8');
  if (text.trim() === '') throw bad(`is empty: no ${adapter.harness} output`);
  try {
    return adapter.parse(text, file);
  } catch (e) {
    if (!(e instanceof HarnessError)) throw e;
    throw new HarnessError(e.message.includes(file) ? `import: ${e.message}` : `import: ${file}: ${e.message}`);
  }
}

/**
 * The file's figures as one run of the harness in round `round`: through the same checks (no
 * name twice, every figure a non-negative number) and the same measurements as a run benchgate made.
 */
async function replay(
  adapter: HarnessAdapter,
  entry: HarnessEntry,
  file: string,
  figures: HarnessFigures[],
  round: number,
): Promise<HarnessMeasured[]> {
  const { measured, failures } = await measureHarnessRound(
    {
      entries: [entry],
      adapters: [{ ...adapter, run: () => Promise.resolve(figures) }],
      sides: [{ side: 'head', root: '.' }],
      within: '.',
      only: () => null,
      // Nothing runs: the adapter gives back the figures already read.
      timeoutMs: 1,
    },
    round,
  );
  if (failures.length > 0) throw new HarnessError(`import: ${file}: ${(failures[0] as { message: string }).message}`);
  return measured;
}

const strip = ({ name: _n, entry: _e, ...m }: HarnessMeasured): ProcessMeasurement => m;

/** A testbed name: what the team calls the machine that measured. */
const TESTBED_NAME = /^[^\p{Cc}]{1,100}$/u;

/** The testbed the files were measured on: this machine's, or a named one keyed by its name alone. */
async function importTestbed(name: string): Promise<Testbed> {
  if (name === THIS_MACHINE) return detectTestbed(await runtimeProbe());
  if (!TESTBED_NAME.test(name) || name.trim() === '')
    throw new UserError(
      `import: --testbed must name the machine that measured, in 1–100 printable characters, or be '${THIS_MACHINE}'`,
      'testbed',
    );
  return {
    key: createHash('sha256').update(`benchgate import\0${name}`).digest('hex').slice(0, 16),
    cpuModel: name,
    cores: 0,
    simd: 'unknown',
    os: 'unknown',
    node: 'unknown',
    gpu: null,
  };
}

/** The measured revision: `--sha` (resolved in the checkout where it can be) and `--ref`, else the checkout's. */
function importedRevision(cwd: string, o: ImportOptions): Revision {
  const ref = o.ref ?? null;
  if (ref !== null && !/^[^\p{Cc}\s]{1,250}$/u.test(ref))
    throw new UserError(
      `import: --ref must be a branch or ref name but got ${JSON.stringify(ref.slice(0, 80))}`,
      'ref',
    );
  if (o.sha === undefined || o.sha === null) {
    const here = currentRevision(cwd);
    return ref === null ? here : { ...here, ref };
  }
  if (!/^[0-9a-f]{4,64}$/i.test(o.sha))
    throw new UserError(
      `import: --sha must be a commit's hex SHA but got ${JSON.stringify(o.sha.slice(0, 80))}`,
      'sha',
    );
  const full = git(cwd, ['rev-parse', '--verify', '--quiet', `${o.sha}^{commit}`]);
  if (full === null && !/^([0-9a-f]{40}|[0-9a-f]{64})$/i.test(o.sha))
    throw new UserError(`import: --sha ${o.sha} is no commit of this checkout; give the full SHA`, 'sha');
  return { ...commitRevision(cwd, (full ?? o.sha).toLowerCase(), ''), ref };
}

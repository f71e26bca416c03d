/**
 * The run files on the data branch: one gzip-compressed RunReport per run, at
 * `runs/<testbed key>/<started, UTC>_<run id>.json.gz`. A new run is a new file, so two jobs never
 * edit the same file; names sort chronologically; each testbed keeps its newest `keep` files.
 * Anyone with a write token can push to the branch, so a file is read as untrusted data: a regular
 * file only, its inflated size capped, validated, and the run its path names.
 */
import {
  closeSync,
  constants,
  existsSync,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { RunReport } from '../model.js';
import { UserError } from '../errors.js';
import { ValidationError } from '../validate/check.js';
import { validateRun } from '../validate/run.js';

/** Folder of run files inside the data branch's checkout. */
export const RUNS_DIR = 'runs';

/** Characters allowed in path parts taken from a report (ids and testbed keys are data). */
const SAFE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** A run file's name: its start time to the second, then its run id. */
const FILE_NAME = /^(\d{8}T\d{6}Z)_(.+)\.json\.gz$/;

/**
 * Largest run file, compressed or inflated: twice the 32 MiB report that the service and publish
 * mode accept (a run of ~10,000 benchmarks), so every run benchgate writes reads back, while a
 * compressed bomb stops here instead of filling the job's memory.
 */
export const MAX_RUN_FILE_BYTES = 64 * 1024 * 1024;
const MAX_MIB = MAX_RUN_FILE_BYTES / 1024 / 1024;

/** A run file that cannot be read back (corrupt, renamed, or not benchgate's). */
export class RunFileError extends UserError {}

function safe(part: string, what: string): string {
  if (!SAFE.test(part) || part.includes('..'))
    throw new RunFileError(
      `${what} ${JSON.stringify(part)} cannot be part of a file name (letters, digits, ., _ and - only)`,
    );
  return part;
}

/** `2026-11-21T10:00:00.123Z` → `20261121T100000Z`. */
function stamp(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) throw new RunFileError(`startedAt ${JSON.stringify(iso)} is not a date`);
  return d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

/** The run file's path relative to the checkout. */
export function runFilePath(report: RunReport): string {
  return join(
    RUNS_DIR,
    safe(report.testbed.key, 'testbed key'),
    `${stamp(report.startedAt)}_${safe(report.id, 'run id')}.json.gz`,
  );
}

/** Writes the run file (idempotent: the same run writes the same path); returns its relative path. */
export function writeRunFile(root: string, report: RunReport): string {
  const rel = runFilePath(report);
  const json = JSON.stringify(report);
  if (Buffer.byteLength(json) > MAX_RUN_FILE_BYTES)
    throw new RunFileError(`run ${report.id} is larger than ${MAX_MIB} MiB of JSON: no job could read it back`);
  mkdirSync(join(root, RUNS_DIR, report.testbed.key), { recursive: true });
  // mtime 0 in the gzip header: the same run always compresses to the same bytes.
  writeFileSync(join(root, rel), gzipSync(json, { level: 9 }));
  return rel;
}

const isRealDirectory = (path: string): boolean => existsSync(path) && lstatSync(path).isDirectory();

/** Every run file under the checkout, oldest first (by start time, then id). */
export function listRunFiles(root: string): string[] {
  const dir = join(root, RUNS_DIR);
  if (!isRealDirectory(dir)) return [];
  const files: { rel: string; name: string }[] = [];
  for (const testbed of readdirSync(dir, { withFileTypes: true })) {
    if (!testbed.isDirectory()) continue;
    for (const f of readdirSync(join(dir, testbed.name)))
      if (f.endsWith('.json.gz')) files.push({ rel: join(RUNS_DIR, testbed.name, f), name: f });
  }
  return files.sort((a, b) => a.name.localeCompare(b.name) || a.rel.localeCompare(b.rel)).map((f) => f.rel);
}

/** The testbed, start time and run id a run file's path names, or why it names none. */
function pathParts(rel: string): { testbed: string; stamp: string; id: string } {
  const [dir, testbed, name, ...more] = rel.split(/[\\/]/);
  const m = FILE_NAME.exec(name ?? '');
  if (dir !== RUNS_DIR || testbed === undefined || !m || more.length > 0)
    throw new RunFileError(`${rel} is not named ${RUNS_DIR}/<testbed>/<started>_<run id>.json.gz`);
  const id = m[2] as string;
  if (!SAFE.test(testbed) || !SAFE.test(id) || id.includes('..'))
    throw new RunFileError(`${rel}: a testbed key or run id holds letters, digits, ., _ and - only`);
  return { testbed, stamp: m[1] as string, id };
}

/** The compressed bytes of a regular file (never through a symbolic link), at most the cap. */
function readRegularFile(root: string, rel: string, testbed: string): Buffer {
  const path = join(root, rel);
  const notRegular = `${rel} is not a regular file (a symbolic link, a folder or a device is never read)`;
  const parents = [join(root, RUNS_DIR), join(root, RUNS_DIR, testbed)];
  if (!parents.every(isRealDirectory) || !existsSync(path) || !lstatSync(path).isFile())
    throw new RunFileError(notRegular);
  let fd: number;
  try {
    // O_NOFOLLOW: a link swapped in after the check above is refused too.
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (e) {
    throw new RunFileError(`${notRegular}: ${(e as Error).message}`);
  }
  try {
    if (fstatSync(fd).size > MAX_RUN_FILE_BYTES) throw new RunFileError(`${rel} is larger than ${MAX_MIB} MiB`);
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads one run file back into the model: a regular file whose inflated size is capped, holding a
 * valid run that is the one its path names (testbed folder, start time and run id).
 */
export function readRunFile(root: string, rel: string): RunReport {
  const named = pathParts(rel);
  const compressed = readRegularFile(root, rel, named.testbed);
  let inflated: Buffer;
  try {
    inflated = gunzipSync(compressed, { maxOutputLength: MAX_RUN_FILE_BYTES });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
      throw new RunFileError(`${rel} inflates to more than ${MAX_MIB} MiB: not a benchgate run`);
    throw new RunFileError(`${rel} is not gzip-compressed: ${(e as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(inflated.toString('utf8'));
  } catch (e) {
    throw new RunFileError(`${rel} is not a gzip-compressed JSON run: ${(e as Error).message}`);
  }
  let report: RunReport;
  try {
    report = validateRun(raw);
  } catch (e) {
    if (e instanceof ValidationError) throw new RunFileError(`${rel} does not hold a benchgate run: ${e.message}`);
    throw e;
  }
  if (report.id !== named.id || report.testbed.key !== named.testbed || stamp(report.startedAt) !== named.stamp)
    throw new RunFileError(
      `${rel} does not hold the benchgate run its name says (it holds run ${JSON.stringify(report.id)} of testbed ${JSON.stringify(report.testbed.key)}, started ${report.startedAt})`,
    );
  return report;
}

/** Deletes all but the newest `keep` run files of one testbed; returns the deleted paths. */
export function pruneRunFiles(root: string, testbedKey: string, keep: number): string[] {
  const dir = join(root, RUNS_DIR, safe(testbedKey, 'testbed key'));
  if (!existsSync(dir)) return [];
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json.gz'))
    .sort();
  const old = files.slice(0, Math.max(0, files.length - keep));
  for (const f of old) rmSync(join(dir, f));
  return old.map((f) => join(RUNS_DIR, testbedKey, f));
}

/**
 * The run files on the data branch: one gzip-compressed RunReport per run, at
 * `runs/<testbed key>/<started, UTC>_<run id>.json.gz`. A new run is a new file, so two jobs never
 * edit the same file; names sort chronologically; each testbed keeps its newest `keep` files.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  mkdirSync(join(root, RUNS_DIR, report.testbed.key), { recursive: true });
  // mtime 0 in the gzip header: the same run always compresses to the same bytes.
  writeFileSync(join(root, rel), gzipSync(JSON.stringify(report), { level: 9 }));
  return rel;
}

/** Every run file under the checkout, oldest first (by start time, then id). */
export function listRunFiles(root: string): string[] {
  const dir = join(root, RUNS_DIR);
  if (!existsSync(dir)) return [];
  const files: { rel: string; name: string }[] = [];
  for (const testbed of readdirSync(dir, { withFileTypes: true })) {
    if (!testbed.isDirectory()) continue;
    for (const f of readdirSync(join(dir, testbed.name)))
      if (f.endsWith('.json.gz')) files.push({ rel: join(RUNS_DIR, testbed.name, f), name: f });
  }
  return files.sort((a, b) => a.name.localeCompare(b.name) || a.rel.localeCompare(b.rel)).map((f) => f.rel);
}

/** Reads one run file back into the model, checking that it is the run its name says. */
export function readRunFile(root: string, rel: string): RunReport {
  let raw: unknown;
  try {
    raw = JSON.parse(gunzipSync(readFileSync(join(root, rel))).toString('utf8'));
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
  if (!rel.endsWith(`_${report.id}.json.gz`))
    throw new RunFileError(`${rel} does not hold the benchgate run its name says`);
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

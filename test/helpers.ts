/** Shared test helpers: temporary folders and running the built CLI as a user would. */
import { execFileSync, spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HarnessEntry } from '../src/config/harnesses.js';
import type { RunReport } from '../src/model.js';
import { parseConfigText } from '../src/config/schema.js';

/** Repository root. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The installed entry point (bin/benchgate.js → dist). */
export const CLI = join(ROOT, 'bin', 'benchgate.js');

/** The tiny integration-test suite. */
export const TINY_SUITE = join(ROOT, 'test', 'fixtures', 'suites', 'tiny-suite.mjs');

const madeDirs: string[] = [];

/** A fresh temporary directory, removed after the test file that made it (see test/setup.ts). */
export function tempDir(prefix = 'benchgate-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  madeDirs.push(dir);
  return dir;
}

/**
 * A new git repository on branch main in `dir` (which must exist), with a committer and no
 * signing; returns git run there (its output, trimmed).
 */
export function gitRepo(dir: string): (...args: string[]) => string {
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'test@example.com');
  git('config', 'user.name', 'test');
  git('config', 'commit.gpgsign', 'false');
  return git;
}

/** Removes every directory `tempDir` has made so far in this test file. */
export function removeTempDirs(): void {
  for (const dir of madeDirs.splice(0)) rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}

/** A kernel's implementation, as far as deciding whether it can run here. */
export interface Rung {
  name: string;
  unavailable?: () => string | null;
}

/**
 * Whether a rung's oracle test is skipped on this machine, and what it needs (for the test's name):
 * only the CUDA rung (no device) and the native rungs (addon not built) may be skipped; any other
 * unavailable rung runs, and fails on its reason.
 */
export function rungSkip(rung: Rung): { skip: boolean; needs: string } {
  const needs =
    rung.name === 'cuda' ? ' (needs a CUDA device)' : rung.name.startsWith('native') ? ' (needs the native addon)' : '';
  return { skip: needs !== '' && (rung.unavailable?.() ?? null) !== null, needs };
}

/** Result of running the CLI. */
export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `benchgate ...args` in `cwd` and collects its output. */
export function runCli(args: string[], options: { cwd: string; env?: Record<string, string> }): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Runs `benchgate ...args` (which asks for `--json`) and reads the report it prints; throws with its stderr when it printed none. */
export async function runReport(
  args: string[],
  options: { cwd: string; env?: Record<string, string> },
): Promise<{ code: number | null; report: RunReport; stderr: string }> {
  const r = await runCli(args, options);
  let report: RunReport;
  try {
    report = JSON.parse(r.stdout) as RunReport;
  } catch {
    throw new Error(`benchgate ${args[0] ?? ''} exited ${r.code} without a report: ${r.stderr}`);
  }
  return { code: r.code, report, stderr: r.stderr };
}

/** Copies a SQLite database file with its write-ahead log. */
export function copyDb(from: string, to: string): void {
  copyFileSync(from, to);
  if (existsSync(`${from}-wal`)) copyFileSync(`${from}-wal`, `${to}-wal`);
}

/** Rows of `sql` in database file `db`, opened read-only. */
export function dbRows(db: string, sql: string, ...params: unknown[]): Record<string, unknown>[] {
  const d = new Database(db, { readonly: true });
  try {
    return d.prepare(sql).all(...params) as Record<string, unknown>[];
  } finally {
    d.close();
  }
}

/** The first harness of an example project's `benchgate.config.json`, validated as benchgate reads it. */
export function exampleHarness(example: string): HarnessEntry {
  const file = join(example, 'benchgate.config.json');
  const [first] = parseConfigText(readFileSync(file, 'utf8'), file).harnesses ?? [];
  if (!first) throw new Error(`${file} names no harness`);
  return first;
}

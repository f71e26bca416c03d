/** Shared test helpers: temporary folders and running the built CLI as a user would. */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The installed entry point (bin/benchgate.js → dist). */
export const CLI = join(ROOT, 'bin', 'benchgate.js');

/** The tiny integration-test suite. */
export const TINY_SUITE = join(ROOT, 'test', 'fixtures', 'suites', 'tiny-suite.mjs');

/** A fresh temporary directory. */
export function tempDir(prefix = 'benchgate-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
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
    const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd, env: { ...process.env, ...options.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

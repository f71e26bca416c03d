/**
 * The `instructions` measure: instructions per call of a suite module's benchmark, counted under
 * valgrind's callgrind in a pass after the timed rounds. Each count runs the case in a fresh Node
 * process (./instructions-worker.ts) with a repeatable JIT, twice: with K1 and with K2 = 2·K1
 * calls. Start-up, suite loading, setup and the first calls' compilation are in both counts and
 * cancel in the difference, so per call = (I(K2) − I(K1)) / (K2 − K1). docs/method/measures.md
 * gives the flags' measured repeatability and what a 1% change in a kernel does to the count.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, readSync, closeSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childEnv } from '../child-env.js';
import type { Profile, Side } from '../model.js';
import { EXIT_SKIPPED, type CountJob } from './protocol.js';
import type { MeasuredProcess } from './rounds.js';

/** The compiled script each counted process runs. */
export const COUNT_SCRIPT = fileURLToPath(new URL('./instructions-worker.js', import.meta.url));

/**
 * V8 flags that make one build's count repeat: `--predictable` runs V8 on one thread (no
 * concurrent compilation, marking or sweeping, whose share of the work depends on scheduling) and
 * drops the time-driven heuristics (memory reducer); fixed random and hash seeds give every run
 * the same `Math.random` stream and hash-table layouts.
 */
export const REPEATABLE_NODE_FLAGS = ['--predictable', '--random-seed=1', '--hash-seed=1'] as const;

/** Native time per count that the K1 calls aim at: under callgrind that is about a second. */
export const COUNT_TARGET_MS = 20;

/** The most calls K1 can be (K2 is twice as many). */
export const MAX_COUNT_CALLS = 100;

/** How long one counted process may run: callgrind runs Node some 50 times slower. */
export const COUNT_TIMEOUT_MS = 600_000;

/** The callgrind header read for the summary: it comes before the per-function costs. */
const HEADER_BYTES = 64 * 1024;

/** A count that could not be taken: says which benchmark, side and what went wrong. */
export class InstructionsError extends Error {
  constructor(
    message: string,
    readonly state: 'errored' | 'skipped' = 'errored',
  ) {
    super(message);
    this.name = 'InstructionsError';
  }
}

let valgrindChecked: string | null | undefined;

/** valgrind's version line (`valgrind-3.19.0`), or null when it is not on PATH or does not run. */
export function valgrindVersion(): string | null {
  if (valgrindChecked === undefined) {
    const r = spawnSync('valgrind', ['--version'], { encoding: 'utf8', env: childEnv(), timeout: 10_000 });
    valgrindChecked = r.status === 0 ? r.stdout.trim() || 'valgrind' : null;
  }
  return valgrindChecked;
}

/** Why the measure is not taken on this machine, or null when it can be. */
export function instructionsUnavailable(): string | null {
  return valgrindVersion() === null
    ? 'not taken: valgrind was not found on PATH (the instructions measure counts under callgrind)'
    : null;
}

/**
 * The instruction count (event `Ir`) in a callgrind output file's header: the `events:` line names
 * the events and the `summary:` line holds their totals in that order.
 */
export function parseCallgrindSummary(header: string, file: string): number {
  const lines = header.split('\n');
  const line = (key: string) =>
    lines
      .find((l) => l.startsWith(`${key}:`))
      ?.slice(key.length + 1)
      .trim();
  if (!lines[0]?.startsWith('# callgrind format') && !lines.some((l) => l.startsWith('creator: callgrind')))
    throw new InstructionsError(`${file} is not a callgrind output file`);
  const events = line('events');
  if (events === undefined) throw new InstructionsError(`${file} has no 'events:' line`);
  const at = events.split(/\s+/).indexOf('Ir');
  if (at < 0) throw new InstructionsError(`${file} does not count instructions: 'events: ${events.slice(0, 80)}'`);
  const summary = line('summary');
  if (summary === undefined) throw new InstructionsError(`${file} has no 'summary:' line`);
  const field = summary.split(/\s+/)[at] ?? '';
  if (!/^\d{1,18}$/.test(field))
    throw new InstructionsError(`${file} has a malformed 'summary:' line: '${summary.slice(0, 80)}'`);
  return Number(field);
}

function readHeader(file: string): string {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(HEADER_BYTES);
    return buffer.toString('utf8', 0, readSync(fd, buffer, 0, HEADER_BYTES, 0));
  } finally {
    closeSync(fd);
  }
}

/** K1 and K2 for a case taking `callMs` per call natively: about {@link COUNT_TARGET_MS} of calls, and twice that. */
export function countCalls(callMs: number | null): [number, number] {
  const k1 = callMs === null || !(callMs > 0) ? 1 : Math.min(MAX_COUNT_CALLS, Math.ceil(COUNT_TARGET_MS / callMs));
  return [k1, 2 * k1];
}

/** One benchmark on one side to count. */
export interface CountTarget {
  name: string;
  side: Side;
  /** Suite module of this side (null: the built-in kernels). */
  suite: string | null;
  /** The side's checkout, the process's working directory. */
  cwd: string;
  profile: Profile;
}

/** Instructions of one fresh process that sets up `target` and calls it `calls` times. */
export function countInstructions(target: CountTarget, calls: number, timeoutMs: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'benchgate-callgrind-'));
  const out = join(dir, 'callgrind.out');
  const job: CountJob = { suite: target.suite, profile: target.profile, name: target.name, calls };
  const what = `${target.name} (${target.side}, ${calls} calls)`;
  return new Promise<number>((resolve, reject) => {
    const child = spawn(
      'valgrind',
      [
        '--tool=callgrind',
        `--callgrind-out-file=${out}`,
        process.execPath,
        ...REPEATABLE_NODE_FLAGS,
        COUNT_SCRIPT,
        JSON.stringify(job),
      ],
      { cwd: target.cwd, env: childEnv(), stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new InstructionsError(`valgrind did not start for ${what}: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      // valgrind's own lines start with ==pid==; the rest is the benchmark's message.
      const said = stderr
        .split('\n')
        .filter((l) => l.trim() !== '' && !/^==\d+==/.test(l))
        .slice(-3)
        .join(' ');
      if (signal !== null)
        reject(
          new InstructionsError(
            `counting ${what} ${signal === 'SIGKILL' ? `timed out after ${Math.round(timeoutMs / 1000)} s` : `was killed (${signal})`}`,
          ),
        );
      else if (code === EXIT_SKIPPED) reject(new InstructionsError(`skipped: ${said}`, 'skipped'));
      else if (code !== 0)
        reject(new InstructionsError(`counting ${what} failed (exit ${code})${said ? `: ${said}` : ''}`));
      else {
        try {
          resolve(parseCallgrindSummary(readHeader(out), `callgrind output of ${what}`));
        } catch (e) {
          reject(
            e instanceof InstructionsError
              ? e
              : new InstructionsError(`no callgrind output for ${what}: ${(e as Error).message}`),
          );
        }
      }
    });
  }).finally(() => rmSync(dir, { recursive: true, force: true }));
}

/**
 * Instructions per call of `target`: (I(K2) − I(K1)) / (K2 − K1), never below zero, to the whole
 * instruction (start-up's residue is larger than a fraction of one). The two
 * processes run at once: a count does not depend on what else the machine runs.
 */
export async function instructionsPerCall(
  target: CountTarget,
  [k1, k2]: [number, number],
  timeoutMs: number,
): Promise<number> {
  const [i1, i2] = await Promise.all([
    countInstructions(target, k1, timeoutMs),
    countInstructions(target, k2, timeoutMs),
  ]);
  return Math.round(Math.max(0, i2 - i1) / (k2 - k1));
}

/** A measure not taken for a benchmark, and why. */
export interface NotTaken {
  name: string;
  measure: 'instructions';
  reason: string;
}

/**
 * The instructions pass, after the timed rounds: counts each named benchmark on every side that
 * completed it, with the same K1 and K2 on both sides (from the slower side's median), and stores
 * the count in that side's last completed process measurement (`values.instructions`). A
 * benchmark's counts run at once (two processes per side), benchmarks one after another. A
 * benchmark some side could not be counted on is returned with the reason instead.
 */
export async function instructionPass(
  measured: MeasuredProcess[],
  names: readonly string[],
  sides: readonly Omit<CountTarget, 'name'>[],
  o: { timeoutMs?: number; onStatus?: (line: string) => void } = {},
): Promise<NotTaken[]> {
  const missing = instructionsUnavailable();
  if (missing !== null) return names.map((name) => ({ name, measure: 'instructions', reason: missing }));
  const notTaken: NotTaken[] = [];
  for (const name of names) {
    const last = (side: Side) =>
      measured.filter((m) => m.name === name && m.side === side && m.state === 'completed').at(-1);
    const counted = sides.filter((s) => last(s.side) !== undefined);
    if (counted.length === 0) continue;
    const slowest = Math.max(...counted.map((s) => last(s.side)?.medianSeconds ?? 0));
    const calls = countCalls(slowest > 0 ? slowest * 1000 : null);
    o.onStatus?.(`counting instructions of ${name} under callgrind (${calls[0]} and ${calls[1]} calls)`);
    try {
      const counts = await Promise.all(
        counted.map((s) => instructionsPerCall({ ...s, name }, calls, o.timeoutMs ?? COUNT_TIMEOUT_MS)),
      );
      counted.forEach((s, i) => {
        const m = last(s.side) as MeasuredProcess;
        m.values = { ...m.values, instructions: counts[i] as number };
      });
    } catch (e) {
      notTaken.push({ name, measure: 'instructions', reason: `not taken: ${(e as Error).message}` });
    }
  }
  return notTaken;
}

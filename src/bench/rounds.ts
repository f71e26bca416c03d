/**
 * The round scheduler. A round starts one fresh worker process per side (head, and base when
 * comparing) in random order; each worker measures the benchmarks in its own random order. A
 * crashed or hung worker costs only the benchmark it was on: the rest go to a new worker.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ProcessMeasurement, Side } from '../model.js';
import { shuffleInPlace } from '../random.js';
import type { WorkerJob, WorkerMessage, WorkerResult } from './protocol.js';
import type { Profile } from './suite-types.js';

/** The compiled worker entry point. */
export const WORKER_SCRIPT = fileURLToPath(new URL('./worker.js', import.meta.url));

/** One revision's way to run its suite. */
export interface SideSpec {
  side: Side;
  /** Suite module of this revision (null: the built-in kernels). */
  suite: string | null;
  /** Working directory of the worker (the revision's checkout). */
  cwd: string;
  /** Benchmarks this side measures, when not all of the plan's `names` (a revision lacking some). */
  names?: string[];
}

/** What to measure and how. */
export interface RoundPlan {
  sides: SideSpec[];
  names: string[];
  profile: Profile;
  taskTimeMs: number;
  minIterations: number;
  /** A benchmark (setup included) that reports nothing for this long is killed and `errored`. */
  timeoutMs: number;
  /**
   * `benchmark` (default): every benchmark of every side gets its own fresh process, and a
   * benchmark's sides run back to back in random order. `suite`: one process per side runs all
   * its benchmarks. Benchmarks sharing a process disturb each other (heap, caches, helper
   * threads) far more than this machine does: the detection benchmark measured the per-round
   * noise of ln(head/base) at a median of 10% over the quick suite with `suite` (11% with a
   * forced GC and a pause between benchmarks), against 4.5% with `benchmark`.
   */
  isolation?: 'benchmark' | 'suite';
  random?: () => number;
  onProgress?: (event: ProgressEvent) => void;
}

/** Reported as a round proceeds, for the progress line. */
export interface ProgressEvent {
  round: number;
  side: Side;
  benchmark: string;
  /** Benchmarks finished in this round so far, over all sides. */
  done: number;
  total: number;
}

/** A process measurement with the benchmark it belongs to. */
export interface MeasuredProcess extends ProcessMeasurement {
  name: string;
}

function erroredAll(names: string[], reason: string): WorkerResult[] {
  return names.map((name) => ({
    type: 'result',
    name,
    state: 'errored',
    reason,
    samples: 0,
    medianSeconds: null,
    meanSeconds: null,
    minSeconds: null,
    maxSeconds: null,
    madSeconds: null,
  }));
}

/** Runs one worker over `names` until it finishes, crashes or hangs; returns what it measured. */
function runWorker(spec: SideSpec, names: string[], plan: RoundPlan, onResult: (r: WorkerResult) => void): Promise<{ results: WorkerResult[]; fatal: string | null }> {
  return new Promise((resolve) => {
    const job: WorkerJob = { suite: spec.suite, profile: plan.profile, names, taskTimeMs: plan.taskTimeMs, minIterations: plan.minIterations };
    const child = fork(WORKER_SCRIPT, [], {
      cwd: spec.cwd,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    const results: WorkerResult[] = [];
    let current: string | null = null;
    let fatal: string | null = null;
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        fatal = `timed out after ${Math.round(plan.timeoutMs / 1000)} s`;
        child.kill('SIGKILL');
      }, plan.timeoutMs);
    };
    child.stdout?.resume();
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-2000);
    });
    child.on('message', (m: WorkerMessage) => {
      if (m.type === 'started') {
        current = m.name;
        arm();
      } else if (m.type === 'result') {
        current = null;
        results.push(m);
        onResult(m);
      } else if (m.type === 'fatal') {
        fatal = m.message.split('\n')[0] ?? m.message;
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (current !== null) {
        const why = fatal ?? `worker process exited (${signal ?? `code ${code}`})${stderr.trim() ? `: ${stderr.trim().split('\n').slice(-3).join(' ')}` : ''}`;
        const r = erroredAll([current], why)[0] as WorkerResult;
        results.push(r);
        onResult(r);
        fatal = null;
      }
      resolve({ results, fatal });
    });
    arm();
    child.send(job);
  });
}

/** Measures every benchmark once per side, each side in a fresh process, in random side order. */
export async function measureRound(plan: RoundPlan, round: number): Promise<MeasuredProcess[]> {
  const random = plan.random ?? Math.random;
  const out: MeasuredProcess[] = [];
  const total = plan.sides.reduce((n, spec) => n + (spec.names ?? plan.names).length, 0);
  let done = 0;
  const measure = async (spec: SideSpec, names: string[]): Promise<void> => {
    let remaining = names;
    while (remaining.length > 0) {
      const { results, fatal } = await runWorker(spec, remaining, plan, (r) => {
        done++;
        plan.onProgress?.({ round, side: spec.side, benchmark: r.name, done, total });
      });
      const finished = new Set(results.map((r) => r.name));
      remaining = remaining.filter((n) => !finished.has(n));
      if (fatal !== null || results.length === 0) {
        results.push(...erroredAll(remaining, fatal !== null ? `worker failed: ${fatal}` : 'worker process exited before measuring anything'));
        remaining = [];
      }
      for (const { type: _type, ...m } of results) out.push({ ...m, round, side: spec.side });
    }
  };
  if ((plan.isolation ?? 'benchmark') === 'suite') {
    for (const spec of shuffleInPlace([...plan.sides], random)) await measure(spec, shuffleInPlace([...(spec.names ?? plan.names)], random));
    return out;
  }
  const union = [...new Set(plan.sides.flatMap((spec) => spec.names ?? plan.names))];
  for (const name of shuffleInPlace(union, random)) {
    for (const spec of shuffleInPlace([...plan.sides], random)) {
      if ((spec.names ?? plan.names).includes(name)) await measure(spec, [name]);
    }
  }
  return out;
}

/**
 * Drops the benchmarks every process so far reported `skipped`: skipping is decided by the machine
 * (no GPU, no library), not by chance, so measuring them again only costs processes.
 */
export function withoutSkipped(names: string[], measured: MeasuredProcess[]): string[] {
  const ran = new Set(measured.filter((m) => m.state !== 'skipped').map((m) => m.name));
  const seen = new Set(measured.map((m) => m.name));
  return names.filter((n) => ran.has(n) || !seen.has(n));
}

/** Measures `rounds` rounds one after another. */
export async function measureRounds(plan: RoundPlan, rounds: number): Promise<MeasuredProcess[]> {
  const all: MeasuredProcess[] = [];
  for (let round = 1; round <= rounds; round++) all.push(...(await measureRound({ ...plan, names: withoutSkipped(plan.names, all) }, round)));
  return all;
}

/** Splits a total measuring budget over rounds, sides and benchmarks, within sane bounds. */
export function taskTimeFor(timeBudgetSeconds: number, rounds: number, sides: number, benchmarks: number): number {
  const ms = (timeBudgetSeconds * 1000) / Math.max(1, rounds * sides * benchmarks);
  return Math.min(10_000, Math.max(20, ms));
}

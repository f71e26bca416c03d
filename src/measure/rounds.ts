/**
 * The round scheduler. A round measures every benchmark once per side (head, and base when
 * comparing), the benchmarks in random order, in fresh worker processes: `paired` (the default
 * when comparing) one process for the round that loads both revisions and alternates each
 * benchmark's calls between them; `process` one process per benchmark and side, the sides back
 * to back in random order. A crashed or hung worker costs only the benchmark it was on: the rest
 * go to a new one.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { childEnv } from '../child-env.js';
import type { Isolation, ProcessMeasurement, Profile, RoofFigures, Side } from '../model.js';
import { shuffleInPlace } from '../random.js';
import {
  NOTHING_MEASURED,
  type WorkerJob,
  type WorkerMessage,
  type WorkerResult,
  type WorkerSide,
} from './protocol.js';

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
   * How the two sides are measured in a round. `paired` (default): one fresh process per round
   * loads both revisions and times each benchmark's two cases in alternating blocks
   * (./alternate.ts), so whatever the process carries from one benchmark to the next lands on both
   * sides alike. `process`: a fresh process per benchmark and side, back to back in random order,
   * several times noisier, for suites that cannot share a process with another revision of
   * themselves. A benchmark only one side has is measured alone, in a process of its own, either
   * way. docs/method/detection.md compares the two.
   */
  isolation?: Isolation;
  /** Time each benchmark beside the roof probes, for the roofline (one side only). */
  roofProbes?: boolean;
  /** Count JS heap bytes allocated per call after each benchmark's timing (the `allocated` measure). */
  allocations?: boolean;
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

/** A process measurement with the benchmark it belongs to (and, in a roofline job, the roofs beside it). */
export interface MeasuredProcess extends ProcessMeasurement {
  name: string;
  roofs?: RoofFigures;
}

function erroredAll(names: string[], sides: WorkerSide[], reason: string): WorkerResult[] {
  return names.flatMap((name) =>
    sides.map(({ side }): WorkerResult => ({
      type: 'result',
      name,
      side,
      state: 'errored',
      reason,
      ...NOTHING_MEASURED,
    })),
  );
}

/**
 * Runs one worker over `names` for the given sides until it finishes, crashes or hangs; returns
 * what it measured. A paired worker runs in the head's checkout (suites should find their files
 * from their own module URL, not the working directory).
 */
function runWorker(
  specs: SideSpec[],
  names: string[],
  plan: RoundPlan,
  onResult: (r: WorkerResult) => void,
): Promise<{ results: WorkerResult[]; fatal: string | null }> {
  return new Promise((resolve) => {
    const sides = specs.map(({ side, suite }) => ({ side, suite }));
    const job: WorkerJob = {
      sides,
      profile: plan.profile,
      names,
      taskTimeMs: plan.taskTimeMs,
      minIterations: plan.minIterations,
      roofProbes: plan.roofProbes,
      allocations: plan.allocations,
    };
    const child = fork(WORKER_SCRIPT, [], {
      cwd: (specs.find((s) => s.side === 'head') ?? (specs[0] as SideSpec)).cwd,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'advanced',
      env: childEnv(),
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
        const why =
          fatal ??
          `worker process exited (${signal ?? `code ${code}`})${stderr.trim() ? `: ${stderr.trim().split('\n').slice(-3).join(' ')}` : ''}`;
        for (const r of erroredAll([current], sides, why)) {
          results.push(r);
          onResult(r);
        }
        fatal = null;
      }
      resolve({ results, fatal });
    });
    arm();
    child.send(job);
  });
}

/** Measures every benchmark once per side, in random order, each benchmark in fresh processes. */
export async function measureRound(plan: RoundPlan, round: number): Promise<MeasuredProcess[]> {
  const random = plan.random ?? Math.random;
  const out: MeasuredProcess[] = [];
  const total = plan.sides.reduce((n, spec) => n + (spec.names ?? plan.names).length, 0);
  let done = 0;
  // One worker for `names`; a crash or hang costs the benchmark it was on, the rest go to a new one.
  const measure = async (specs: SideSpec[], names: string[]): Promise<void> => {
    let remaining = names;
    while (remaining.length > 0) {
      const { results, fatal } = await runWorker(specs, remaining, plan, (r) => {
        done++;
        plan.onProgress?.({ round, side: r.side, benchmark: r.name, done, total });
      });
      const finished = new Set(results.map((r) => r.name));
      remaining = remaining.filter((n) => !finished.has(n));
      if (fatal !== null || results.length === 0) {
        results.push(
          ...erroredAll(
            remaining,
            specs,
            fatal !== null ? `worker failed: ${fatal}` : 'worker process exited before measuring anything',
          ),
        );
        remaining = [];
      }
      for (const { type: _type, ...m } of results) out.push({ ...m, round });
    }
  };
  const union = shuffleInPlace([...new Set(plan.sides.flatMap((spec) => spec.names ?? plan.names))], random);
  const having = new Map(
    union.map((name) => [name, plan.sides.filter((spec) => (spec.names ?? plan.names).includes(name))]),
  );
  const paired = (plan.isolation ?? 'paired') === 'paired';
  const both = paired ? union.filter((name) => (having.get(name) ?? []).length > 1) : [];
  if (both.length > 0) await measure(shuffleInPlace([...plan.sides], random), both);
  for (const name of union.filter((n) => !both.includes(n))) {
    for (const spec of shuffleInPlace([...(having.get(name) ?? [])], random)) await measure([spec], [name]);
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
  for (let round = 1; round <= rounds; round++)
    all.push(...(await measureRound({ ...plan, names: withoutSkipped(plan.names, all) }, round)));
  return all;
}

/** How the sides were measured, in words, as stored with the run. */
export const INTERLEAVING: Record<Isolation, string> = {
  paired:
    "per round, one fresh process with both revisions loaded, benchmarks in random order, each one's calls alternating between the revisions in blocks (first side random)",
  process: 'per round, one fresh process per benchmark and side, side order random',
};

/**
 * The true effect of a patch on one benchmark, measured independently of `benchgate compare`:
 * many separate processes (./time-case.ts), each loading both revisions and timing them sample by
 * sample in turn after a warm-up, giving the median of its pairs' ratios. The effect is the median
 * over processes of that ratio, with the processes' interquartile range; each revision's
 * per-process levels are kept, and where they fall in two clusters (the machine ran at another
 * speed in some processes) that is said.
 * Where valgrind runs, the instruction count per call of each revision too (the `instructions`
 * measure's counter, src/measure/instructions.ts).
 */
import { execFile } from 'node:child_process';
import { twoSpeeds, type TwoSpeeds } from '../../src/stats/two-speeds.js';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  countCalls,
  instructionsPerCall,
  instructionsUnavailable,
  COUNT_TIMEOUT_MS,
} from '../../src/measure/instructions.js';

const TIME_CASE = fileURLToPath(new URL('./time-case.js', import.meta.url));

/** Two clusters among one revision's per-process levels, or null when they are one. */
export interface Levels {
  /** Sorted seconds per call, one per process. */
  seconds: number[];
  /** Where the levels split in two: the lower and upper cluster medians and counts; null: one cluster. */
  twoSpeeds: TwoSpeeds | null;
}

/** The true effect of a patch on one benchmark. */
export interface TrueEffect {
  benchmark: string;
  /** Processes, each timing both revisions in turn. */
  processes: number;
  /** Median over processes of their pairs' median ratio (patched / base − 1), in percent, and the processes' interquartile range. */
  effectPct: number;
  iqrPct: [number, number];
  /** Ratio of the two revisions' median levels − 1, in percent. */
  levelEffectPct: number;
  base: Levels;
  patched: Levels;
  /** Instructions per call on each side and their ratio − 1 in percent; null: not counted (why in `instructionsNote`). */
  instructions: { base: number; patched: number; effectPct: number } | null;
  instructionsNote: string | null;
  seconds: number;
}

const quantile = (sorted: number[], q: number): number => {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (at - lo);
};
const med = (xs: number[]) =>
  quantile(
    [...xs].sort((a, b) => a - b),
    0.5,
  );

/** One revision's per-process levels, sorted, and their two clusters when there are two (src/stats/two-speeds.ts). */
export function levelsOf(seconds: number[]): Levels {
  return { seconds: [...seconds].sort((a, b) => a - b), twoSpeeds: twoSpeeds(seconds) };
}

interface ProcessTiming {
  ratio: number;
  baseSeconds: number;
  patchedSeconds: number;
}

/** Runs one timing process of `benchmark` with the suites built at `baseRoot` and `patchedRoot`. */
function timeOnce(baseRoot: string, patchedRoot: string, benchmark: string, timeMs: number): Promise<ProcessTiming> {
  const suite = (root: string) => join(root, 'dist', 'kernels', 'index.js');
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [TIME_CASE, suite(baseRoot), suite(patchedRoot), 'quick', benchmark, String(timeMs)],
      { cwd: patchedRoot, timeout: 120_000, maxBuffer: 1 << 20 },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`timing ${benchmark} failed: ${err.message} ${stderr.slice(-500)}`));
        try {
          resolve(JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as ProcessTiming);
        } catch {
          reject(new Error(`timing ${benchmark} printed no result: ${stdout.slice(-200)}`));
        }
      },
    );
  });
}

/** Options of a true-effect measurement. */
export interface TrueEffectOptions {
  /** Timing processes. */
  processes: number;
  timeMs: number;
  instructions: boolean;
  /** Instruction counts already taken of the base, by benchmark (shared between patches). */
  baseCounts: Map<string, number>;
  log: (line: string) => void;
}

/** Measures the true effect of the revision at `patchedRoot` against `baseRoot` on `benchmark`. */
export async function trueEffect(
  baseRoot: string,
  patchedRoot: string,
  benchmark: string,
  o: TrueEffectOptions,
): Promise<TrueEffect> {
  const started = Date.now();
  const base: number[] = [];
  const patched: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < o.processes; i++) {
    const t = await timeOnce(baseRoot, patchedRoot, benchmark, o.timeMs);
    base.push(t.baseSeconds);
    patched.push(t.patchedSeconds);
    ratios.push(100 * (t.ratio - 1));
  }
  ratios.sort((a, b) => a - b);
  let instructions: TrueEffect['instructions'] = null;
  let instructionsNote: string | null = o.instructions
    ? instructionsUnavailable()
    : 'not counted (run with --instructions)';
  if (o.instructions && instructionsNote === null) {
    const calls = countCalls(1000 * Math.max(med(base), med(patched)));
    const target = (root: string, side: 'base' | 'head') => ({
      name: benchmark,
      side,
      suite: join(root, 'dist', 'kernels', 'index.js'),
      cwd: root,
      profile: 'quick' as const,
    });
    try {
      o.log(`counting instructions of ${benchmark} (${calls[0]} and ${calls[1]} calls)`);
      const cached = o.baseCounts.get(benchmark);
      const [b, p] = await Promise.all([
        cached ?? instructionsPerCall(target(baseRoot, 'base'), calls, COUNT_TIMEOUT_MS),
        instructionsPerCall(target(patchedRoot, 'head'), calls, COUNT_TIMEOUT_MS),
      ]);
      o.baseCounts.set(benchmark, b);
      instructions = { base: b, patched: p, effectPct: 100 * (p / b - 1) };
    } catch (e) {
      instructionsNote = `not counted: ${(e as Error).message}`;
    }
  }
  return {
    benchmark,
    processes: o.processes,
    effectPct: quantile(ratios, 0.5),
    iqrPct: [quantile(ratios, 0.25), quantile(ratios, 0.75)],
    levelEffectPct: 100 * (med(patched) / med(base) - 1),
    base: levelsOf(base),
    patched: levelsOf(patched),
    instructions,
    instructionsNote,
    seconds: (Date.now() - started) / 1000,
  };
}

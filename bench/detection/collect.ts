/**
 * Collects real A/A rounds for the detection benchmark: the same code on both sides, measured
 * exactly as `compare` measures, stored in SQLite as a compare run so it can be replayed later
 * (`--replay DB`). The base side runs a copy of the build in another folder, as `compare` runs
 * the base from its own worktree: in a paired process the two sides then share no module, no
 * JIT-compiled function and no native addon, only the code they were built from.
 */
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { currentRevision } from '../../src/git/revision.js';
import { INTERLEAVING, measureRound, withoutSkipped, type MeasuredProcess } from '../../src/measure/rounds.js';
import { measurementsOf } from '../../src/measure/measure-here.js';
import { resultOf, summariseSide } from '../../src/measure/summarise.js';
import { BUILTIN_SUITE, loadSuite, selectCases } from '../../src/measure/suite.js';
import { caseName } from '../../src/measure/suite-types.js';
import { detectTestbed } from '../../src/measure/testbed.js';
import { runtimeProbe } from '../../src/measure/probe.js';
import type { BenchmarkResult, Isolation, Profile } from '../../src/model.js';
import { planRounds } from '../../src/measure/round-plan.js';
import { newRunReport } from '../../src/report/run-report.js';
import { openStore } from '../../src/store/open.js';
import { saveRun } from '../../src/store/runs.js';

/** What to collect. */
export interface CollectOptions {
  rounds: number;
  db: string;
  cwd: string;
  profile: Profile;
  filter: string | null;
  /** The compare settings whose task time is reproduced: its time budget and look schedule. */
  timeBudget: number;
  alpha: number;
  minRounds: number;
  maxRounds: number;
  suite: string | null;
  isolation: Isolation;
  /** A fixed task time in ms instead of compare's sizing (for experiments on the round design). */
  taskTimeMs?: number;
  onRound?: (round: number, seconds: number) => void;
}

/** Files a built checkout needs to run its kernels, relative to its root. */
const BUILD_OUTPUTS = [
  'package.json',
  'dist',
  'native/build/Release/benchgate_native.node',
  'native/cuda/build/Release/benchgate_cuda.node',
];

/** Copies this checkout's build to a temporary folder (node_modules linked); returns its root. */
export function copyBuild(root: string): string {
  const copy = mkdtempSync(join(tmpdir(), 'benchgate-aa-base-'));
  for (const rel of BUILD_OUTPUTS) {
    const from = join(root, rel);
    if (!existsSync(from)) continue;
    mkdirSync(dirname(join(copy, rel)), { recursive: true });
    if (rel.endsWith('.node') || rel.endsWith('.json')) copyFileSync(from, join(copy, rel));
    else cpSync(from, join(copy, rel), { recursive: true });
  }
  symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'dir');
  return copy;
}

/** Measures `rounds` A/A rounds, stores them as one run and returns its id. */
export async function collectAaRounds(o: CollectOptions): Promise<string> {
  // A user's suite module is loaded twice from the same file (two instances, shared imports).
  const suitePath = o.suite ?? BUILTIN_SUITE;
  const copy = o.suite === null ? copyBuild(o.cwd) : null;
  try {
    return await collectFrom(
      o,
      suitePath,
      copy === null ? suitePath : join(copy, relative(o.cwd, suitePath)),
      copy ?? o.cwd,
    );
  } finally {
    if (copy !== null) rmSync(copy, { recursive: true, force: true });
  }
}

async function collectFrom(
  o: CollectOptions,
  suitePath: string,
  baseSuitePath: string,
  baseCwd: string,
): Promise<string> {
  const cases = selectCases(await loadSuite(suitePath), o.profile, o.filter);
  const names = cases.map(caseName);
  // Sized as compare sizes its rounds: every selected benchmark at first, then those not skipped.
  const plan = planRounds(
    {
      timeBudget: o.timeBudget,
      alpha: o.alpha,
      minRounds: o.minRounds,
      maxRounds: o.maxRounds,
      isolation: o.isolation,
    },
    names.length,
    0,
  );
  let taskTimeMs = o.taskTimeMs ?? plan.taskTimeMs;
  let firstLook = (plan.looks[0] as { rounds: number }).rounds;
  const startedAt = new Date().toISOString();
  const started = Date.now();
  const measured: MeasuredProcess[] = [];
  for (let round = 1; round <= o.rounds; round++) {
    const sides = [
      { side: 'base' as const, suite: baseSuitePath, cwd: baseCwd },
      { side: 'head' as const, suite: suitePath, cwd: o.cwd },
    ];
    const roundPlan = {
      sides,
      names: withoutSkipped(names, measured),
      profile: o.profile,
      taskTimeMs,
      minIterations: 3,
      timeoutMs: Math.max(300_000, 20 * taskTimeMs),
      isolation: o.isolation,
    };
    measured.push(...(await measureRound(roundPlan, round)));
    if (o.taskTimeMs === undefined) {
      const after = plan.afterRound(
        round,
        withoutSkipped(names, measured).length,
        (Date.now() - started) / 1000,
        measured,
      );
      taskTimeMs = after.taskTimeMs;
      firstLook = (after.looks[0] as { rounds: number }).rounds;
    }
    o.onRound?.(round, (Date.now() - started) / 1000);
  }
  const measuringSeconds = (Date.now() - started) / 1000;
  const benchmarks: BenchmarkResult[] = cases.map((c) => {
    const name = caseName(c);
    const measurements = measurementsOf(measured, name);
    // Nothing is compared here: the detection benchmark replays these rounds later.
    const baselineMedianSeconds = summariseSide(measurements, 'base', c.work).medianSeconds;
    return resultOf(c, summariseSide(measurements, 'head', c.work), {
      presence: 'both',
      baselineMedianSeconds,
      measurements,
      verdict: null,
    });
  });
  const revision = currentRevision(o.cwd);
  const report = newRunReport({
    kind: 'compare',
    project: 'benchgate-detection',
    profile: o.profile,
    startedAt,
    testbed: detectTestbed(await runtimeProbe()),
    head: revision,
    base: revision,
    settings: {
      detection: 'A/A',
      rounds: o.rounds,
      taskTimeMs,
      firstRoundTaskTimeMs: plan.taskTimeMs,
      measuringSeconds,
      timeBudget: o.timeBudget,
      firstLook,
      filter: o.filter,
      isolation: o.isolation,
      interleaving: INTERLEAVING[o.isolation],
      baseCopy: baseSuitePath !== suitePath,
    },
    benchmarks,
  });
  const db = openStore(o.db);
  try {
    saveRun(db, report);
  } finally {
    db.close();
  }
  return report.id;
}

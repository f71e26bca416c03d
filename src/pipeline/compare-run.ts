/**
 * The `compare` pipeline: check out and build the base (and head) revision in cached git
 * worktrees, measure both in rounds of fresh processes (by default one per benchmark holding both
 * revisions, their calls alternating in short blocks),
 * decide each benchmark on the per-round log ratios at pre-declared looks (more rounds only for
 * the inconclusive ones, within the time budget), and store the run in one transaction.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, realpathSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { ConfigError } from '../config/parse.js';
import { timeBudgetOf, type Config } from '../config/schema.js';
import type { BenchmarkCase, Suite } from '../measure/suite-types.js';
import { caseName } from '../measure/suite-types.js';
import type { BenchmarkResult, Presence, ProcessMeasurement, Revision, RunReport, Verdict, Isolation } from '../model.js';
import { pairedLogRatios } from '../measure/paired-log-ratios.js';
import { measureRound, PAIRED_OVERHEAD_SECONDS, pairedTaskTimeFor, taskTimeFor, withoutSkipped, type MeasuredProcess, type ProgressEvent, type SideSpec } from '../measure/rounds.js';
import { caseIdentity, noVerdict, summariseSide } from '../measure/summarise.js';
import { callTimesMs, fitTaskTimeMs, sideCostMs } from '../measure/task-times.js';
import { loadSuite, selectCases, SuiteError } from '../measure/suite.js';
import { detectTestbed } from '../measure/testbed.js';
import { runtimeProbe } from '../measure/probe.js';
import { lookSchedule, roundsToReach, type Look } from '../stats/sequential-looks.js';
import { DEFAULT_PAIRED_TEST } from '../stats/paired-p-values.js';
import { withDetectableChange } from '../stats/with-detectable-change.js';
import { openStore } from '../store/open.js';
import { saveRun } from '../store/runs.js';
import { summarise } from '../report/summary.js';
import { repositoryRoot, resolveCommit } from '../git/refs.js';
import { commitRevision, currentRevision } from '../git/revision.js';
import { prepareCommit, prepareWorkingTree, type PreparedRevision } from '../git/worktree.js';
import { projectName } from '../config/project-name.js';
import { runSequentialLooks } from './sequential-driver.js';

/** Progress of a compare: the round event plus the most rounds the schedule allows. */
export type CompareProgress = ProgressEvent & { rounds: number };

/** One benchmark as the two revisions define it. */
interface Entry {
  name: string;
  presence: Presence;
  /** The case of the side(s) that have it (head's when both). */
  case: BenchmarkCase;
}

/** The suite module of a revision: `suite` relative to the revision root, else its built kernels. */
function suitePathIn(revisionRoot: string, repoRoot: string, configured: string | null): string {
  if (configured === null) return join(revisionRoot, 'dist', 'kernels', 'index.js');
  const rel = relative(repoRoot, configured);
  return rel.startsWith('..') || isAbsolute(rel) ? configured : join(revisionRoot, rel);
}

async function casesOf(path: string, what: string, config: Config): Promise<{ suite: Suite; cases: BenchmarkCase[] }> {
  if (!existsSync(path)) {
    throw new SuiteError(
      `the suite module of ${what} does not exist: ${path}` +
        (config.suite === null ? ` (the default is the revision's built dist/kernels/index.js; set 'suite' to your suite module, relative to the repository root)` : ''),
    );
  }
  const suite = await loadSuite(path);
  try {
    return { suite, cases: selectCases(suite, config.profile, config.filter) };
  } catch (e) {
    // A filter may match nothing on one side (everything added or removed); only both is an error.
    if (e instanceof SuiteError && e.message.startsWith("'filter' matched no benchmark")) return { suite, cases: [] };
    throw e;
  }
}

/** Pairs the two sides' cases: same name and fixture checksum = compared, else added/removed. */
function pairCases(base: BenchmarkCase[], head: BenchmarkCase[]): Entry[] {
  const key = (c: BenchmarkCase) => `${caseName(c)}\u0000${c.fixtureChecksum}`;
  const baseKeys = new Set(base.map(key));
  const headKeys = new Set(head.map(key));
  return [
    ...head.map((c): Entry => ({ name: caseName(c), presence: baseKeys.has(key(c)) ? 'both' : 'added', case: c })),
    ...base.filter((c) => !headKeys.has(key(c))).map((c): Entry => ({ name: caseName(c), presence: 'removed', case: c })),
  ];
}

/** How the sides were measured, in words, as stored with the run. */
export const INTERLEAVING: Record<Isolation, string> = {
  paired: 'per round, one fresh process with both revisions loaded, benchmarks in random order, each one\'s calls alternating between the revisions in blocks (first side random)',
  process: 'per round, one fresh process per benchmark and side, side order random',
};

const maxRoundsOf = (looks: Look[]): number => (looks[looks.length - 1] as Look).rounds;

/**
 * Share of the time budget the first look is planned to take; the rest is for the later looks of
 * the benchmarks still inconclusive. Half, with looks up to 40 rounds: the task time gets shorter
 * (30 rather than 70 ms a side on the quick suite here), which raised the median per-round noise
 * only from 1.40% to 1.65% (most of it is per process, not per call), and the noisy benchmarks get
 * 40 rounds instead of 30.
 * Builds measuring side by side in one collection (README "The detection benchmark"): power at a
 * 3% slowdown 84.3% with 0.7 and 30 rounds, 87.7% with 0.5 and 40, 85.7% with 0.6 and 40.
 */
export const FIRST_LOOK_SHARE = 0.5;

/**
 * Milliseconds per benchmark and side so that the first look takes its share of the time budget:
 * paired measurements with their setup and start-up counted, or one process per side. One-sided
 * benchmarks count as a paired one each.
 */
export function compareTaskTimeMs(timeBudget: number, firstLook: number, compared: number, oneSided: number, isolation: Isolation): number {
  const seconds = timeBudget * FIRST_LOOK_SHARE;
  return isolation === 'paired'
    ? pairedTaskTimeFor(seconds, firstLook * Math.max(1, compared + oneSided))
    : taskTimeFor(seconds, firstLook, 2, Math.max(1, compared + oneSided / 2));
}

/**
 * After a round of a paired comparison that comes before its first look: the task time at which
 * the rounds left before that look, of the benchmarks still measured (with these call times), fit
 * what is left of its share of the budget, less the set-up and start-up cost per benchmark and
 * round the rounds so far showed beyond their warm-ups and timed calls (`overheadMs`).
 */
export function resizedTaskTimeMs(o: { timeBudget: number; firstLook: number; roundsDone: number; seconds: number; overheadMs: number; callMs: number[] }): number {
  const perRoundMs = ((o.timeBudget * FIRST_LOOK_SHARE - o.seconds) * 1000) / Math.max(1, o.firstLook - o.roundsDone);
  return fitTaskTimeMs(o.callMs, perRoundMs - o.overheadMs * o.callMs.length);
}

/** What a comparison's rounds are sized by. */
export interface RoundSizing {
  timeBudget: number;
  alpha: number;
  minRounds: number;
  maxRounds: number;
  isolation: Isolation;
}

/** The look schedule and the task time a comparison uses at a point of its measuring. */
export interface RoundsPlan {
  looks: Look[];
  taskTimeMs: number;
}

/**
 * How `compare` sizes its rounds (the detection benchmark sizes its A/A rounds with the same).
 * Before round 1: a task time for every compared benchmark, with 0.12 s of set-up assumed each.
 * After round 1: the look schedule for the family this machine can run. After each round before
 * the first look, when paired: the task time again, from what all the rounds so far cost and the
 * benchmarks' call times (re-sized from round 1 alone, it swung between 20 and 50 ms with that
 * round's cost). From the first look on it stays; each round's d is a paired replicate whatever
 * task time it ran at.
 */
export function planRounds(
  o: RoundSizing,
  compared: number,
  oneSided: number,
): RoundsPlan & { afterRound: (round: number, family: number, seconds: number, measured: MeasuredProcess[]) => RoundsPlan; secondsFor: (rounds: number, names: readonly string[]) => number } {
  const scheduleFor = (benchmarks: number) => lookSchedule({ benchmarks, alpha: o.alpha, minRounds: o.minRounds, maxRounds: o.maxRounds });
  const current: RoundsPlan = { looks: scheduleFor(compared), taskTimeMs: 0 };
  current.taskTimeMs = compareTaskTimeMs(o.timeBudget, (current.looks[0] as Look).rounds, compared, oneSided, o.isolation);
  // Warm-ups and timed calls the rounds so far should have cost at their task times, how many
  // benchmarks they measured, and the seconds they took: the rest of those seconds is overhead.
  let predictedMs = 0;
  let measuredCount = 0;
  let secondsSoFar = 0;
  let calls = new Map<string, number>();
  const overheadMs = () => (measuredCount > 0 ? Math.max(0, secondsSoFar * 1000 - predictedMs) / measuredCount : PAIRED_OVERHEAD_SECONDS * 1000);
  return {
    ...current,
    afterRound(round, family, seconds, measured) {
      if (round === 1) current.looks = scheduleFor(family);
      const firstLook = (current.looks[0] as Look).rounds;
      calls = callTimesMs(measured);
      secondsSoFar = seconds;
      const inRound = new Set(measured.filter((m) => m.round === round).map((m) => m.name));
      const running = [...calls].filter(([name]) => inRound.has(name)).map(([, c]) => c);
      predictedMs += running.reduce((sum, c) => sum + 2 * sideCostMs(current.taskTimeMs, c), 0);
      measuredCount += running.length;
      if (o.isolation !== 'paired' || round >= firstLook || running.length === 0) return { ...current };
      // Benchmarks a screening found unchanged are no longer measured: their time goes to the others.
      current.taskTimeMs = resizedTaskTimeMs({ timeBudget: o.timeBudget, firstLook, roundsDone: round, seconds, overheadMs: overheadMs(), callMs: running });
      return { ...current };
    },
    /** Estimated seconds of `rounds` more rounds of the benchmarks `names`, at the current task time. */
    secondsFor(rounds, names) {
      return (rounds * names.reduce((sum, name) => sum + 2 * sideCostMs(current.taskTimeMs, calls.get(name) ?? 0) + overheadMs(), 0)) / 1000;
    },
  };
}

function resultOf(entry: Entry, measurements: ProcessMeasurement[], verdict: Verdict | null): BenchmarkResult {
  const c = entry.case;
  const id = caseIdentity(c);
  if (entry.presence !== 'both') {
    const side = entry.presence === 'added' ? 'head' : 'base';
    const fig = summariseSide(measurements, side, c.work);
    const why = entry.presence === 'added' ? 'only the head revision has this benchmark (added): not compared' : 'only the base revision has this benchmark (removed): not compared';
    return { ...id, presence: entry.presence, ...fig, baselineMedianSeconds: null, measurements, verdict: noVerdict(why, 'presence', { presence: entry.presence }) };
  }
  const head = summariseSide(measurements, 'head', c.work);
  const base = summariseSide(measurements, 'base', c.work);
  const failed = head.state !== 'completed' ? { state: head.state, reason: head.reason } : base.state !== 'completed' ? { state: base.state, reason: `base revision: ${base.reason}` } : null;
  return {
    ...id,
    ...head,
    ...(failed ?? {}),
    baselineMedianSeconds: base.medianSeconds,
    measurements,
    verdict: failed ? noVerdict(`${failed.state}: ${failed.reason}`) : (verdict ?? noVerdict('no paired rounds were measured')),
  };
}

/** Compares `config.base` with `config.head` (default: the working tree) and stores the run. */
export async function compareRun(config: Config, cwd: string, onProgress?: (e: CompareProgress) => void, onStatus: (line: string) => void = () => undefined): Promise<RunReport> {
  const startedAt = new Date().toISOString();
  if (config.base === null) throw new ConfigError(`'base' is required: name the revision to compare against, e.g. --base main`);
  const repoRoot = repositoryRoot(cwd);
  const within = relative(repoRoot, realpathSync(cwd));
  const baseSha = resolveCommit(repoRoot, config.base, 'base');
  const headSha = config.head === null ? null : resolveCommit(repoRoot, config.head, 'head');
  // Open (and check) the database before minutes of building and measuring, so a bad --db fails fast.
  const db = openStore(config.db);
  try {
    const baseBuilt = await prepareCommit(repoRoot, baseSha, config.buildCommand, `base ${config.base} (${baseSha.slice(0, 10)})`, onStatus);
    const headBuilt: PreparedRevision =
      headSha === null ? await prepareWorkingTree(repoRoot, config.buildCommand, onStatus) : await prepareCommit(repoRoot, headSha, config.buildCommand, `head ${config.head} (${headSha.slice(0, 10)})`, onStatus);
    const headRevision: Revision = headSha === null ? currentRevision(repoRoot) : commitRevision(repoRoot, headSha, config.head as string);
    const baseRevision = commitRevision(repoRoot, baseSha, config.base);
    if (headRevision.dirty) onStatus('head is the working tree with uncommitted changes (reported as such)');

    const baseSuitePath = suitePathIn(baseBuilt.root, repoRoot, config.suite);
    const headSuitePath = suitePathIn(headBuilt.root, repoRoot, config.suite);
    const baseSide = await casesOf(baseSuitePath, `base ${config.base}`, config);
    const headSide = await casesOf(headSuitePath, headSha === null ? 'the working tree' : `head ${config.head}`, config);
    const entries = pairCases(baseSide.cases, headSide.cases);
    if (entries.length === 0) throw new SuiteError(`'filter' matched no benchmark on either revision: '${config.filter}'`);
    const compared = entries.filter((e) => e.presence === 'both');
    const removed = entries.filter((e) => e.presence === 'removed').map((e) => e.name);
    const added = entries.filter((e) => e.presence === 'added').map((e) => e.name);

    const project = config.project ?? projectName(cwd);
    const testbed = detectTestbed(await runtimeProbe());
    const timeBudget = timeBudgetOf(config, 'compare');
    // Planned for every compared benchmark; fixed after round 1 for those this machine can run.
    const plan = planRounds({ timeBudget, alpha: config.alpha, minRounds: config.minRounds, maxRounds: config.maxRounds, isolation: config.isolation }, compared.length, added.length + removed.length);
    let { looks, taskTimeMs } = plan;
    let firstLook = (looks[0] as Look).rounds;
    const sideCwd = (root: string) => join(root, within);

    const measured: MeasuredProcess[] = [];
    const measuringStarted = Date.now();
    const measuringSeconds = () => (Date.now() - measuringStarted) / 1000;
    const measure = async (round: number, names: string[]): Promise<void> => {
      // One-sided benchmarks are measured (to show their time) only up to the first look.
      const sides: SideSpec[] = [
        { side: 'base' as const, suite: baseSuitePath, cwd: sideCwd(baseBuilt.root), names: [...names, ...withoutSkipped(round <= firstLook ? removed : [], measured)] },
        { side: 'head' as const, suite: headSuitePath, cwd: sideCwd(headBuilt.root), names: [...names, ...withoutSkipped(round <= firstLook ? added : [], measured)] },
      ].filter((side) => side.names.length > 0);
      const roundPlan = { sides, names: [], profile: config.profile, taskTimeMs, minIterations: 3, timeoutMs: Math.max(300_000, 20 * taskTimeMs), isolation: config.isolation };
      measured.push(...(await measureRound({ ...roundPlan, onProgress: onProgress && ((e) => onProgress({ ...e, rounds: maxRoundsOf(looks) })) }, round)));
      ({ looks, taskTimeMs } = plan.afterRound(round, withoutSkipped(compared.map((e) => e.name), measured).length, measuringSeconds(), measured));
      firstLook = (looks[0] as Look).rounds;
    };

    // Round 1 measures everything. A benchmark that every process skipped (no GPU, no library)
    // then leaves the family before its looks are fixed: the machine decided that, not the
    // timings, so Holm's correction and the first look's rounds need only count the others.
    await measure(1, compared.map((e) => e.name));
    const family = compared.filter((e) => withoutSkipped([e.name], measured).length > 0);
    const reachable = roundsToReach((looks[0] as Look).alpha / Math.max(1, family.length));
    if (family.length > 0 && maxRoundsOf(looks) < reachable) {
      onStatus(`warning: with ${family.length} benchmarks and alpha ${config.alpha}, no benchmark can be called regressed or improved in fewer than ${reachable} rounds, but 'max-rounds' is ${config.maxRounds}`);
    }
    const logRatios = () => family.map((e) => pairedLogRatios(measured.filter((m) => m.name === e.name)));
    const outcome =
      family.length === 0
        ? { verdicts: [], rounds: 1, looksTaken: 0, thresholdPct: config.threshold ?? 0, stoppedBy: 'nothing this machine can compare' }
        : await runSequentialLooks(
            family.length,
            { looks, thresholdPct: config.threshold, minRounds: config.minRounds, timeBudget, roundsDone: 1 },
            {
              measure: (round, active) => measure(round, family.filter((_, i) => active[i]).map((e) => e.name)),
              logRatios,
              elapsed: measuringSeconds,
              estimate: (rounds, active) => plan.secondsFor(rounds, family.filter((_, i) => active[i]).map((e) => e.name)),
              onStatus,
            },
          );

    // An inconclusive verdict also says how large a slowdown its rounds would have caught.
    const finalRatios = logRatios();
    const verdicts = outcome.verdicts.map((v, i) => v && withDetectableChange(v, finalRatios[i] ?? []));
    const benchmarks = entries.map((entry) => {
      const measurements = measured
        .filter((m) => m.name === entry.name && (entry.presence === 'both' || m.side === (entry.presence === 'added' ? 'head' : 'base')))
        .map(({ name: _n, ...m }) => m);
      const i = family.indexOf(entry);
      return resultOf(entry, measurements, i >= 0 ? (verdicts[i] ?? null) : null);
    });
    const report: RunReport = {
      schema: 'benchgate.run/v1',
      id: randomUUID(),
      kind: 'compare',
      project,
      profile: config.profile,
      startedAt,
      finishedAt: new Date().toISOString(),
      testbed,
      head: headRevision,
      base: baseRevision,
      settings: {
        base: config.base,
        head: config.head ?? 'working tree',
        rounds: outcome.rounds,
        looks,
        looksTaken: outcome.looksTaken,
        roundsBeforeAnyVerdictPossible: reachable,
        familySize: family.length,
        stoppedBy: outcome.stoppedBy,
        timeBudget,
        measuringSeconds: Math.round(measuringSeconds() * 10) / 10,
        taskTimeMs,
        firstRoundTaskTimeMs: plan.taskTimeMs,
        alpha: config.alpha,
        thresholdPct: outcome.thresholdPct,
        thresholdSource: config.threshold === null ? 'default-from-noise' : 'configured',
        test: DEFAULT_PAIRED_TEST,
        correction: 'holm',
        interleaving: INTERLEAVING[config.isolation],
        filter: config.filter,
        suite: { base: baseSide.suite.name, head: headSide.suite.name },
        build: { base: { command: baseBuilt.build, reused: baseBuilt.reused, linkedNodeModules: baseBuilt.linkedNodeModules }, head: { command: headBuilt.build, reused: headBuilt.reused } },
      },
      benchmarks,
      summary: summarise(benchmarks),
    };
    saveRun(db, report);
    return report;
  } finally {
    db.close();
  }
}

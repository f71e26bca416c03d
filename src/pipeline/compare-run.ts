/**
 * The `compare` pipeline: check out and build the base (and head) revision in cached git
 * worktrees, measure both in rounds of fresh processes (by default one per benchmark holding both
 * revisions, their calls alternating in short blocks),
 * decide each benchmark on the per-round log ratios at pre-declared looks (more rounds only for
 * the inconclusive ones, within the time budget), and store the run in one transaction.
 */
import { join } from 'node:path';
import { projectName } from '../config/project-name.js';
import { timeBudgetOf, type Config } from '../config/schema.js';
import { ruleFor, takes } from '../config/measures.js';
import { pairCases, pairedResult, revisionCases, suitePathIn, type PairedCase } from '../measure/paired-suites.js';
import { pairedLogRatios } from '../measure/paired-log-ratios.js';
import { instructionPass } from '../measure/instructions.js';
import { runtimeProbe } from '../measure/probe.js';
import { planRounds } from '../measure/round-plan.js';
import {
  INTERLEAVING,
  measureRound,
  withoutSkipped,
  type MeasuredProcess,
  type ProgressEvent,
  type SideSpec,
} from '../measure/rounds.js';
import { SuiteError } from '../measure/suite.js';
import { detectTestbed } from '../measure/testbed.js';
import type { RunReport } from '../model.js';
import { newRunReport } from '../report/run-report.js';
import { DEFAULT_PAIRED_TEST } from '../stats/paired-p-values.js';
import { roundsToReach, type Look } from '../stats/sequential-looks.js';
import { withDetectableChange } from '../stats/with-detectable-change.js';
import { withAdvice } from './with-advice.js';
import { withSpeedsNote } from './with-speeds.js';
import { openStore, storeFault } from '../store/open.js';
import { saveRun } from '../store/runs.js';
import { gatedOtherCount, measureResults, suiteMeasures, timeAlpha } from './measure-verdicts.js';
import { harnessCompareRun } from './harness-runs.js';
import { prepareRevisions, resolveRevisions } from './prepare-revisions.js';
import { profileRegressions } from '../profile/profile-pass.js';
import { runSequentialLooks } from './sequential-driver.js';
import { planShard } from './shard-plan.js';

/** Progress of a compare: the round event plus the most rounds the schedule allows. */
export type CompareProgress = ProgressEvent & { rounds: number };

const maxRoundsOf = (looks: Look[]): number => (looks[looks.length - 1] as Look).rounds;

/** Compares `config.base` with `config.head` (default: the working tree) and stores the run. */
export async function compareRun(
  config: Config,
  cwd: string,
  onProgress?: (e: CompareProgress) => void,
  onStatus: (line: string) => void = () => undefined,
  /** Gating keys the head's config file changes but this run did not use (pull requests). */
  notes: { gateChanges?: string[] } = {},
): Promise<RunReport> {
  if (config.harnesses.length > 0) return harnessCompareRun(config, cwd, onProgress, onStatus, notes);
  const startedAt = new Date().toISOString();
  const resolved = resolveRevisions(config, cwd);
  // Open (and check) the database before minutes of building and measuring, so a bad --db fails fast.
  const db = openStore(config.db);
  try {
    const { repoRoot, within, baseBuilt, headBuilt, baseRevision, headRevision, headSha } = await prepareRevisions(
      config,
      cwd,
      resolved,
      onStatus,
    );

    const suiteOptions = { profile: config.profile, filter: config.filter, defaultSuite: config.suite === null };
    const baseSuitePath = suitePathIn(baseBuilt.root, repoRoot, config.suite);
    const headSuitePath = suitePathIn(headBuilt.root, repoRoot, config.suite);
    const baseSide = await revisionCases(baseSuitePath, `base ${config.base}`, suiteOptions);
    const headSide = await revisionCases(
      headSuitePath,
      headSha === null ? 'the working tree' : `head ${config.head}`,
      suiteOptions,
    );
    const listed = pairCases(baseSide.cases, headSide.cases);
    if (listed.length === 0)
      throw new SuiteError(`'filter' matched no benchmark on either revision: '${config.filter}'`);
    // --shard: this job's part of the listed benchmarks, tested at its share of α.
    const shard =
      config.shard &&
      planShard(
        db,
        { project: config.project ?? projectName(cwd), mainBranch: config.mainBranch },
        listed.map((e) => ({ name: e.name, fixtureChecksum: e.case.fixtureChecksum, inFamily: e.presence === 'both' })),
        config.shard,
        config.alpha,
      );
    const entries = shard ? listed.filter((e) => shard.names.has(e.name)) : listed;
    // A shard without compared benchmarks tests nothing: any α will do.
    const alpha = shard && shard.record.familyBenchmarks > 0 ? shard.record.alpha : config.alpha;
    const compared = entries.filter((e) => e.presence === 'both');
    const removed = entries.filter((e) => e.presence === 'removed').map((e) => e.name);
    const added = entries.filter((e) => e.presence === 'added').map((e) => e.name);

    const project = config.project ?? projectName(cwd);
    const testbed = detectTestbed(await runtimeProbe());
    const timeBudget = timeBudgetOf(config, 'compare');
    // Time's looks and the other gated measures share α (a union bound over the two families).
    const policy = { measures: config.measures, benchmarks: config.benchmarkRules };
    const alphaTime = timeAlpha(
      alpha,
      compared.length,
      gatedOtherCount(
        policy,
        compared.map((e) => e.name),
        suiteMeasures(policy),
      ),
    );
    // Planned for every compared benchmark; fixed after round 1 for those this machine can run.
    const plan = planRounds(
      {
        timeBudget,
        alpha: alphaTime,
        minRounds: config.minRounds,
        maxRounds: config.maxRounds,
        isolation: config.isolation,
      },
      compared.length,
      added.length + removed.length,
    );
    let { looks, taskTimeMs } = plan;
    let firstLook = (looks[0] as Look).rounds;
    const sideCwd = (root: string) => join(root, within);

    const measured: MeasuredProcess[] = [];
    const measuringStarted = Date.now();
    const measuringSeconds = () => (Date.now() - measuringStarted) / 1000;
    const measure = async (round: number, names: string[]): Promise<void> => {
      // One-sided benchmarks are measured (to show their time) only up to the first look.
      const sides: SideSpec[] = [
        {
          side: 'base' as const,
          suite: baseSuitePath,
          cwd: sideCwd(baseBuilt.root),
          names: [...names, ...withoutSkipped(round <= firstLook ? removed : [], measured)],
        },
        {
          side: 'head' as const,
          suite: headSuitePath,
          cwd: sideCwd(headBuilt.root),
          names: [...names, ...withoutSkipped(round <= firstLook ? added : [], measured)],
        },
      ].filter((side) => side.names.length > 0);
      const roundPlan = {
        sides,
        names: [],
        profile: config.profile,
        taskTimeMs,
        minIterations: 3,
        timeoutMs: Math.max(300_000, 20 * taskTimeMs),
        isolation: config.isolation,
        allocations: takes(policy, 'allocated'),
      };
      measured.push(
        ...(await measureRound(
          { ...roundPlan, onProgress: onProgress && ((e) => onProgress({ ...e, rounds: maxRoundsOf(looks) })) },
          round,
        )),
      );
      ({ looks, taskTimeMs } = plan.afterRound(
        round,
        withoutSkipped(
          compared.map((e) => e.name),
          measured,
        ).length,
        measuringSeconds(),
        measured,
      ));
      firstLook = (looks[0] as Look).rounds;
    };

    // Round 1 measures everything. A benchmark that every process skipped (no GPU, no library)
    // then leaves the family before its looks are fixed: the machine decided that, not the
    // timings, so Holm's correction and the first look's rounds need only count the others.
    await measure(
      1,
      compared.map((e) => e.name),
    );
    const family = compared.filter((e) => withoutSkipped([e.name], measured).length > 0);
    const reachable = roundsToReach((looks[0] as Look).alpha / Math.max(1, family.length));
    if (family.length > 0 && maxRoundsOf(looks) < reachable) {
      onStatus(
        `warning: with ${family.length} benchmarks and alpha ${alpha}, no benchmark can be called regressed or improved in fewer than ${reachable} rounds, but 'max-rounds' is ${config.maxRounds}`,
      );
    }
    const logRatios = () => family.map((e) => pairedLogRatios(measured.filter((m) => m.name === e.name)));
    const outcome =
      family.length === 0
        ? {
            verdicts: [],
            rounds: 1,
            looksTaken: 0,
            thresholdPct: config.threshold ?? 0,
            stoppedBy: 'nothing this machine can compare',
          }
        : await runSequentialLooks(
            family.length,
            {
              looks,
              thresholdPct: config.measures.time?.thresholdPct ?? config.threshold,
              thresholdOverrides: family.map((e) => ruleFor(policy, e.name, 'time').thresholdPct),
              minRounds: config.minRounds,
              timeBudget,
              roundsDone: 1,
            },
            {
              measure: (round, active) =>
                measure(
                  round,
                  family.filter((_, i) => active[i]).map((e) => e.name),
                ),
              logRatios,
              elapsed: measuringSeconds,
              estimate: (rounds, active) =>
                plan.secondsFor(
                  rounds,
                  family.filter((_, i) => active[i]).map((e) => e.name),
                ),
              onStatus,
            },
          );

    const measurementsOf = (entry: PairedCase) =>
      measured
        .filter(
          (m) =>
            m.name === entry.name &&
            (entry.presence === 'both' || m.side === (entry.presence === 'added' ? 'head' : 'base')),
        )
        .map(({ name: _n, ...m }) => m);
    // An inconclusive verdict also says how large a slowdown its rounds would have caught.
    const finalRatios = logRatios();
    const verdicts = outcome.verdicts.map(
      (v, i) =>
        v &&
        withSpeedsNote(
          withAdvice(withDetectableChange(v, finalRatios[i] ?? []), finalRatios[i] ?? [], {
            name: family[i]!.name,
            maxRounds: config.maxRounds,
          }),
          measurementsOf(family[i]!),
          config.isolation === 'paired' ? 'blocks' : 'processes',
        ),
    );
    // Instructions per call: counted under callgrind after all timing, one count per side.
    const notTaken = takes(policy, 'instructions')
      ? await instructionPass(
          measured,
          family.map((e) => e.name),
          [
            { side: 'base', suite: baseSuitePath, cwd: sideCwd(baseBuilt.root), profile: config.profile },
            { side: 'head', suite: headSuitePath, cwd: sideCwd(headBuilt.root), profile: config.profile },
          ],
          { onStatus },
        )
      : [];
    const others = measureResults(
      entries,
      (i) => measurementsOf(entries[i] as PairedCase),
      entries.map((e) => family.includes(e)),
      policy,
      { alpha, alphaOther: alpha - alphaTime, minRounds: config.minRounds, notTaken },
    );
    const benchmarks = entries.map((entry, k) => {
      const i = family.indexOf(entry);
      const time = ruleFor(policy, entry.name, 'time');
      return pairedResult(entry, measurementsOf(entry), i >= 0 ? (verdicts[i] ?? null) : null, {
        measures: others[k] ?? [],
        gated: time.gate,
      });
    });
    // Where each regression's time went: CPU profiles of base and head, after the verdicts (src/profile).
    const sideToProfile = (side: 'base' | 'head', suite: string, root: string) =>
      ({ side, suite, cwd: sideCwd(root), root, profile: config.profile }) as const;
    const profiled = config.profileRegressions
      ? await profileRegressions(
          benchmarks,
          {
            base: sideToProfile('base', baseSuitePath, baseBuilt.root),
            head: sideToProfile('head', headSuitePath, headBuilt.root),
          },
          { budgetSeconds: config.profileBudget, folder: join(config.reportJson, '..'), onStatus },
        )
      : { benchmarks, summary: null };
    const report = newRunReport({
      kind: 'compare',
      project,
      profile: config.profile,
      startedAt,
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
        alpha,
        alphaTime,
        thresholdPct: outcome.thresholdPct,
        thresholdSource: config.threshold === null ? 'default-from-noise' : 'configured',
        test: DEFAULT_PAIRED_TEST,
        correction: 'holm',
        interleaving: INTERLEAVING[config.isolation],
        filter: config.filter,
        ...(shard ? { shard: shard.record } : {}),
        suite: { base: baseSide.suite.name, head: headSide.suite.name },
        build: {
          base: { command: baseBuilt.build, reused: baseBuilt.reused, linkedNodeModules: baseBuilt.linkedNodeModules },
          head: { command: headBuilt.build, reused: headBuilt.reused },
        },
        ...(notes.gateChanges && notes.gateChanges.length > 0 ? { gateChanges: notes.gateChanges } : {}),
        ...(profiled.summary ? { profiling: profiled.summary } : {}),
      },
      benchmarks: profiled.benchmarks,
    });
    saveRun(db, report);
    return report;
  } catch (e) {
    throw storeFault(e, config.db) ?? e;
  } finally {
    db.close();
  }
}

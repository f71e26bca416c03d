/**
 * `compare` and `run` over a project's own harnesses (`harnesses` in the config) instead of a
 * suite module. Each round runs every harness once per revision; a run is one process
 * measurement of each of its benchmarks, so the comparison is the `process` isolation: rounds of
 * paired runs, the same looks, thresholds, Holm family and reports as a suite's.
 */
import { realpathSync } from 'node:fs';
import { join, relative } from 'node:path';
import { median } from 'simple-statistics';
import { ruleFor, type MeasurePolicy } from '../config/measures.js';
import { nameGlob } from '../config/name-glob.js';
import { ConfigError } from '../config/parse.js';
import { projectName } from '../config/project-name.js';
import { timeBudgetOf, type Config } from '../config/schema.js';
import { currentRevision } from '../git/revision.js';
import { repositoryRoot } from '../git/refs.js';
import { HarnessError, type HarnessAdapter } from '../harness/adapter.js';
import { adapterFor } from '../harness/adapters.js';
import {
  FIRST_ROUND_SECONDS,
  sizeTiming,
  harnessIdentity,
  measureHarnessRound,
  type HarnessMeasured,
  type HarnessRoundPlan,
  type HarnessSide,
} from '../harness/rounds.js';
import { pairedLogRatios } from '../measure/paired-log-ratios.js';
import { pairedResult, type PairedCase } from '../measure/paired-suites.js';
import { runtimeProbe } from '../measure/probe.js';
import { FIRST_LOOK_SHARE } from '../measure/round-plan.js';
import type { ProgressEvent } from '../measure/rounds.js';
import { measuresTaken } from '../measure/summarise.js';
import { detectTestbed } from '../measure/testbed.js';
import { measureInfo, type BenchmarkResult, type ProcessMeasurement, type RunReport, type Side } from '../model.js';
import type { HarnessEntry } from '../config/harnesses.js';
import { profileHarnessRegressions } from '../profile/harness-profile.js';
import { profileHarnessHead } from '../profile/harness-head-profiles.js';
import { earlierKept, earlierKeptCounts, keptQuery } from '../store/kept-profiles.js';
import { newRunReport } from '../report/run-report.js';
import { DEFAULT_PAIRED_TEST } from '../stats/paired-p-values.js';
import { lookSchedule, roundsToReach, type Look } from '../stats/sequential-looks.js';
import { withDetectableChange } from '../stats/with-detectable-change.js';
import { withAdvice } from './with-advice.js';
import { withSpeedsNote } from './with-speeds.js';
import { DEFAULT_CHANGE_POINTS, recomputeStale } from '../store/change-points.js';
import { openStore, storeFault } from '../store/open.js';
import { saveRun } from '../store/runs.js';
import { markSeriesStale } from '../store/series.js';
import { historyResult } from './history-results.js';
import { measureResults, timeAlpha } from './measure-verdicts.js';
import { prepareRevisions, resolveRevisions } from './prepare-revisions.js';
import { runSequentialLooks } from './sequential-driver.js';
import { planShard } from './shard-plan.js';

/** A harness run that reports nothing for this long is killed (its benchmarks are errored). */
const HARNESS_TIMEOUT_MS = 30 * 60 * 1000;

/** Progress of a harness comparison: a harness run done, with the most rounds the schedule allows. */
export type HarnessProgress = ProgressEvent & { rounds: number };

/** What a report's settings say about the harnesses. */
const harnessSettings = (config: Config) =>
  config.harnesses.map(({ harness, command, cwd }) => ({ harness, command, ...(cwd === null ? {} : { cwd }) }));

function adaptersOf(config: Config): HarnessAdapter[] {
  if (config.suite !== null)
    throw new ConfigError(
      `'suite' and 'harnesses' are both set: benchgate measures either a suite module or the project's harnesses; remove one`,
    );
  return config.harnesses.map(adapterFor);
}

/** The identity of each benchmark name the harnesses reported. */
function identities(config: Config, adapters: HarnessAdapter[], measured: HarnessMeasured[]) {
  const out = new Map<string, PairedCase['case']>();
  for (const m of measured) {
    if (out.has(m.name)) continue;
    const adapter = adapters[m.entry] as HarnessAdapter;
    out.set(m.name, harnessIdentity(config.harnesses[m.entry]!, adapter, m.name.slice(adapter.prefix.length + 1)));
  }
  return out;
}

/** Fails when two harnesses report the same benchmark name (two `go` entries over one package, say). */
function checkDistinct(measured: HarnessMeasured[]): void {
  const entryOf = new Map<string, number>();
  for (const m of measured) {
    const e = entryOf.get(`${m.side}\0${m.name}`);
    if (e !== undefined && e !== m.entry)
      throw new ConfigError(`harnesses[${e}] and harnesses[${m.entry}] both report the benchmark '${m.name}'`);
    entryOf.set(`${m.side}\0${m.name}`, m.entry);
  }
}

const strip = ({ name: _n, entry: _e, ...m }: HarnessMeasured): ProcessMeasurement => m;

/** A benchmark's harness entry and its name in that harness, found by the name it was reported under. */
function harnessOf(config: Config, adapters: HarnessAdapter[], measured: HarnessMeasured[]) {
  return (name: string): { entry: HarnessEntry; own: string } | null => {
    const m = measured.find((x) => x.name === name);
    const adapter = m && adapters[m.entry];
    return m && adapter ? { entry: config.harnesses[m.entry]!, own: name.slice(adapter.prefix.length + 1) } : null;
  };
}

/** Compares `config.base` with `config.head` (default: the working tree) on the project's harnesses, and stores the run. */
export async function harnessCompareRun(
  config: Config,
  cwd: string,
  onProgress?: (e: HarnessProgress) => void,
  onStatus: (line: string) => void = () => undefined,
  notes: { gateChanges?: string[] } = {},
): Promise<RunReport> {
  const startedAt = new Date().toISOString();
  const adapters = adaptersOf(config);
  const resolved = resolveRevisions(config, cwd);
  const db = openStore(config.db);
  try {
    const prepared = await prepareRevisions(config, cwd, resolved, onStatus);
    const project = config.project ?? projectName(cwd);
    const testbed = detectTestbed(await runtimeProbe());
    const timeBudget = timeBudgetOf(config, 'compare');
    const policy: MeasurePolicy = { measures: config.measures, benchmarks: config.benchmarkRules };
    const filtered = config.filter === null ? () => true : nameGlob(config.filter);
    // With --shard, round 1 runs everything; the shard's benchmarks are known after it.
    let inShard: ((name: string) => boolean) | null = null;
    const selected = (name: string) => filtered(name) && (inShard?.(name) ?? true);
    const sides: HarnessSide[] = [
      { side: 'base', root: prepared.baseBuilt.root },
      { side: 'head', root: prepared.headBuilt.root },
    ];
    let looks: Look[] = [{ rounds: config.minRounds, alpha: config.alpha }];
    const measured: HarnessMeasured[] = [];
    const roundSeconds: number[] = [];
    // Round 1 asks each harness for a short look at every benchmark; later rounds for what fits the budget.
    let secondsPerBenchmark = FIRST_ROUND_SECONDS;
    const measuringStarted = Date.now();
    const measuringSeconds = () => (Date.now() - measuringStarted) / 1000;
    const measure = async (round: number, only: HarnessRoundPlan['only']) => {
      const started = Date.now();
      const { measured: got, failures } = await measureHarnessRound(
        {
          entries: config.harnesses,
          adapters,
          sides,
          within: prepared.within,
          only,
          timeoutMs: HARNESS_TIMEOUT_MS,
          secondsPerBenchmark,
          onRun: (e) =>
            onProgress?.({
              round,
              side: e.side,
              benchmark: e.harness,
              done: e.done,
              total: e.total,
              rounds: (looks[looks.length - 1] as Look).rounds,
            }),
        },
        round,
      );
      for (const f of failures) {
        if (round === 1 && f.side === 'head') throw new HarnessError(`the head's harness failed: ${f.message}`);
        onStatus(`warning: round ${round}, ${f.side}: ${f.message}`);
      }
      measured.push(...got.filter((m) => selected(m.name)));
      roundSeconds.push((Date.now() - started) / 1000);
    };

    // Round 1 runs everything: what each revision's harnesses report is what there is to compare.
    await measure(1, () => null);
    checkDistinct(measured);
    const ids = identities(config, adapters, measured);
    const sideNames = (side: Side) => new Set(measured.filter((m) => m.side === side).map((m) => m.name));
    const onBase = sideNames('base');
    const onHead = sideNames('head');
    if (ids.size === 0)
      throw new HarnessError(
        config.filter === null
          ? 'the harnesses reported no benchmark on either revision'
          : `'filter' matched no benchmark the harnesses reported: '${config.filter}'`,
      );
    const shard =
      config.shard &&
      planShard(
        db,
        { project, mainBranch: config.mainBranch },
        [...ids].map(([name, c]) => ({
          name,
          fixtureChecksum: c.fixtureChecksum,
          inFamily: onBase.has(name) && onHead.has(name),
        })),
        config.shard,
        config.alpha,
      );
    if (shard) {
      inShard = (name) => shard.names.has(name);
      for (const name of ids.keys()) if (!shard.names.has(name)) ids.delete(name);
      measured.splice(0, measured.length, ...measured.filter((m) => selected(m.name)));
    }
    // The shard's share of α (a shard without compared benchmarks tests nothing: any α will do).
    const alpha = shard && shard.record.familyBenchmarks > 0 ? shard.record.alpha : config.alpha;
    const entries: PairedCase[] = [...ids].map(([name, c]) => ({
      name,
      case: c,
      presence: onBase.has(name) && onHead.has(name) ? 'both' : onHead.has(name) ? 'added' : 'removed',
    }));
    const ran = (name: string) => measured.some((m) => m.name === name && m.state !== 'skipped');
    const family = entries.filter((e) => e.presence === 'both' && ran(e.name));
    const of = (name: string) => measured.filter((m) => m.name === name).map(strip);

    // α: time's looks and the gated other measures (noisy ones; exact counts need none) share it.
    const gatedOthers = family.reduce(
      (n, e) =>
        n + measuresTaken(of(e.name)).filter((m) => !measureInfo(m).exact && ruleFor(policy, e.name, m).gate).length,
      0,
    );
    const alphaTime = timeAlpha(alpha, family.length, gatedOthers);
    looks = lookSchedule({
      benchmarks: family.length,
      alpha: alphaTime,
      minRounds: config.minRounds,
      maxRounds: config.maxRounds,
    });
    secondsPerBenchmark = sizeTiming(
      roundSeconds[0] as number,
      (timeBudget * FIRST_LOOK_SHARE) / Math.max(1, (looks[0] as Look).rounds),
    );
    const reachable = roundsToReach((looks[0] as Look).alpha / Math.max(1, family.length));
    const logRatios = () => family.map((e) => pairedLogRatios(of(e.name)));
    const outcome =
      family.length === 0
        ? {
            verdicts: [],
            rounds: 1,
            looksTaken: 0,
            thresholdPct: config.threshold ?? 0,
            stoppedBy: 'nothing to compare',
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
              measure: async (round, active) => {
                const names = family.filter((_, i) => active[i]).map((e) => e.name);
                await measure(round, () => names);
              },
              logRatios,
              elapsed: measuringSeconds,
              // A harness run costs about the same whichever of its benchmarks it is asked for;
              // the rounds after the first ran at the sized timing.
              estimate: (rounds) => rounds * median(roundSeconds.length > 1 ? roundSeconds.slice(1) : roundSeconds),
              onStatus,
            },
          );
    const finalRatios = logRatios();
    const verdicts = outcome.verdicts.map(
      (v, i) =>
        v &&
        withSpeedsNote(
          withAdvice(withDetectableChange(v, finalRatios[i] ?? []), finalRatios[i] ?? [], {
            name: family[i]!.name,
            maxRounds: config.maxRounds,
          }),
          of(family[i]!.name),
          'processes',
        ),
    );
    const measurementsOf = (entry: PairedCase) =>
      of(entry.name).filter(
        (m) => entry.presence === 'both' || m.side === (entry.presence === 'added' ? 'head' : 'base'),
      );
    const others = measureResults(
      entries,
      (i) => measurementsOf(entries[i] as PairedCase),
      entries.map((e) => family.includes(e)),
      policy,
      { alpha, alphaOther: alpha - alphaTime, minRounds: config.minRounds },
    );
    const benchmarks = entries.map((entry, k) => {
      const i = family.indexOf(entry);
      return pairedResult(entry, measurementsOf(entry), i >= 0 ? (verdicts[i] ?? null) : null, {
        measures: others[k] ?? [],
        gated: ruleFor(policy, entry.name, 'time').gate,
      });
    });
    const { baseBuilt, headBuilt } = prepared;
    // Where each regression's cost went: callgrind or cProfile on base and head, after the verdicts (src/profile).
    const entryOf = harnessOf(config, adapters, measured);
    const profiled = config.profileRegressions
      ? await profileHarnessRegressions(
          benchmarks,
          { base: { ...sides[0]!, within: prepared.within }, head: { ...sides[1]!, within: prepared.within } },
          entryOf,
          { budgetSeconds: config.profileBudget, folder: join(config.reportJson, '..'), onStatus },
        )
      : { benchmarks, summary: null };
    const report = newRunReport({
      kind: 'compare',
      project,
      profile: config.profile,
      startedAt,
      testbed,
      head: prepared.headRevision,
      base: prepared.baseRevision,
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
        alpha,
        alphaTime,
        thresholdPct: outcome.thresholdPct,
        thresholdSource: config.threshold === null ? 'default-from-noise' : 'configured',
        test: DEFAULT_PAIRED_TEST,
        correction: 'holm',
        interleaving: 'per round, each harness run once per revision, side order random',
        filter: config.filter,
        harnesses: harnessSettings(config),
        secondsPerBenchmark: { firstRound: FIRST_ROUND_SECONDS, later: secondsPerBenchmark },
        ...(shard ? { shard: shard.record } : {}),
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

/** `run` on the project's harnesses: `rounds` runs of each, judged against the stored history. */
export async function harnessHistoryRun(
  config: Config,
  cwd: string,
  onProgress?: (e: ProgressEvent & { rounds: number }) => void,
  onStatus: (line: string) => void = () => undefined,
): Promise<RunReport> {
  const startedAt = new Date().toISOString();
  const adapters = adaptersOf(config);
  const db = openStore(config.db);
  try {
    const root = repositoryRoot(cwd);
    const within = relative(root, realpathSync(cwd));
    const project = config.project ?? projectName(cwd);
    const testbed = detectTestbed(await runtimeProbe());
    const policy: MeasurePolicy = { measures: config.measures, benchmarks: config.benchmarkRules };
    const filtered = config.filter === null ? () => true : nameGlob(config.filter);
    // With --shard, round 1 runs everything and later rounds only the shard's benchmarks.
    let shard: ReturnType<typeof planShard> | null = null;
    const selected = (name: string) => filtered(name) && (shard?.names.has(name) ?? true);
    const measured: HarnessMeasured[] = [];
    let secondsPerBenchmark = FIRST_ROUND_SECONDS;
    for (let round = 1; round <= config.rounds; round++) {
      const started = Date.now();
      const { measured: got, failures } = await measureHarnessRound(
        {
          entries: config.harnesses,
          adapters,
          sides: [{ side: 'head', root }],
          within,
          only: () => (shard === null ? null : [...shard.names]),
          timeoutMs: HARNESS_TIMEOUT_MS,
          secondsPerBenchmark,
          onRun: (e) =>
            onProgress?.({
              round,
              side: 'head',
              benchmark: e.harness,
              done: e.done,
              total: e.total,
              rounds: config.rounds,
            }),
        },
        round,
      );
      if (round === 1 && failures.length > 0) throw new HarnessError((failures[0] as { message: string }).message);
      measured.push(...got.filter((m) => selected(m.name)));
      if (round === 1)
        secondsPerBenchmark = sizeTiming((Date.now() - started) / 1000, timeBudgetOf(config, 'run') / config.rounds);
      if (round === 1 && config.shard) {
        const listed = [...identities(config, adapters, measured)].map(([name, c]) => ({
          name,
          fixtureChecksum: c.fixtureChecksum,
          inFamily: true,
        }));
        shard = planShard(db, { project, mainBranch: config.mainBranch }, listed, config.shard, config.alpha);
        measured.splice(0, measured.length, ...measured.filter((m) => selected(m.name)));
      }
    }
    checkDistinct(measured);
    const ids = identities(config, adapters, measured);
    if (ids.size === 0 && (shard === null || shard.record.total === 0))
      throw new HarnessError('the harnesses reported no benchmark');
    const judging = { db, project, testbedKey: testbed.key, policy, threshold: config.threshold };
    const judged: BenchmarkResult[] = [...ids].map(([name, c]) =>
      historyResult(judging, { ...c, name }, measured.filter((m) => m.name === name).map(strip)),
    );
    // Where each regression's time went, after all measuring: the head against a kept profile.
    const profiled =
      config.profileRegressions || config.keepProfiles
        ? await profileHarnessHead(judged, { side: 'head', root, within }, harnessOf(config, adapters, measured), {
            budgetSeconds: config.profileBudget,
            folder: join(config.reportJson, '..'),
            keepAll: config.keepProfiles,
            earlier: config.profileRegressions ? (b) => earlierKept(db, keptQuery(judging, b)) : () => null,
            earlierCounts: config.profileRegressions
              ? (b) => earlierKeptCounts(db, keptQuery(judging, b), 'instructions')
              : () => null,
            onStatus,
          })
        : { benchmarks: judged, summary: null, kept: new Map() };
    // What is kept goes with its result, so the run file carries it (data branch, service).
    const benchmarks = (config.profileRegressions ? profiled.benchmarks : judged).map((b) => {
      const k = profiled.kept.get(b.name);
      return k === undefined ? b : { ...b, ...k };
    });
    const report = newRunReport({
      kind: 'history',
      project,
      profile: config.profile,
      startedAt,
      testbed,
      head: currentRevision(cwd),
      base: null,
      settings: {
        rounds: config.rounds,
        filter: config.filter,
        thresholdPct: config.threshold,
        harnesses: harnessSettings(config),
        secondsPerBenchmark: { firstRound: FIRST_ROUND_SECONDS, later: secondsPerBenchmark },
        ...(shard ? { shard: shard.record } : {}),
        ...(profiled.summary ? { profiling: profiled.summary } : {}),
        ...(config.keepProfiles ? { keptProfiles: profiled.kept.size } : {}),
      },
      benchmarks,
    });
    saveRun(db, report);
    if (markSeriesStale(db, report.id, config.mainBranch) > 0)
      recomputeStale(db, { ...DEFAULT_CHANGE_POINTS, window: config.changePointWindow });
    return report;
  } catch (e) {
    throw storeFault(e, config.db) ?? e;
  } finally {
    db.close();
  }
}

/**
 * The detection benchmark: how often does a comparison cry wolf, and how small a slowdown does it
 * catch, on this machine's real noise? Collects A/A rounds of the quick suite (both sides the same
 * build), stores them in SQLite, then replays the decision procedure on many trials (each a random
 * order of the stored rounds): A/A trials for the family-wise false-alarm rate, and trials with
 * one random benchmark's head slowed by 1, 2, 3, 5, 10% for the power. The anchors' rules run on
 * the same trials. `--harness DIR` collects A/A rounds of an example project's own harnesses
 * instead (./detection/collect-harness.ts), judged with the example's config.
 *
 *   npm run bench:detection -- [--rounds N] [--json] [--replay DB] [--trials N] [--power-trials N]
 *                              [--isolation paired|process] [--no-screening] [--task-time MS]
 *                              [--test cappedRank|wilcoxon|signFlip]
 *                              [--harness DIR [--harness-command CMD]] [--measure NAME]
 *
 * `--measure NAME` replays a measure other than time (allocated, peak-memory, frames/op, …): time's
 * loop fixes the rounds, compare's verdicts for that measure judge them, and the slowdown makes
 * the target's figure of that measure worse (./detection/ours.ts `oursOnMeasure`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { median, medianAbsoluteDeviation } from 'simple-statistics';
import { resolveConfig, timeBudgetOf } from '../src/config/schema.js';
import { seededRandom } from '../src/random.js';
import { lookSchedule, screeningRounds, type Look } from '../src/stats/sequential-looks.js';
import { detectableChangePct } from '../src/stats/detectable-change.js';
import { DEFAULT_PAIRED_TEST, type PairedTest } from '../src/stats/paired-p-values.js';
import { isExact, timeAlpha } from '../src/pipeline/measure-verdicts.js';
import { ruleFor, type MeasurePolicy } from '../src/config/measures.js';
import { isMeasureName, measureInfo, type MeasureName } from '../src/model.js';
import { pairedLogRatios } from '../src/measure/paired-log-ratios.js';
import { measuresTaken } from '../src/measure/summarise.js';
import { anchorRules } from './detection/anchors.js';
import { collectAaRounds } from './detection/collect.js';
import { collectHarnessAaRounds } from './detection/collect-harness.js';
import { oursOnMeasure, oursOnTrial, type MeasureReplay } from './detection/ours.js';
import { loadReplayData } from './detection/replay-data.js';
import { drawTrial } from './detection/trial.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SLOWDOWNS = [1, 2, 3, 5, 10] as const;
const OURS_NAME: Record<PairedTest, string> = {
  cappedRank: 'capped signed-rank',
  wilcoxon: 'Wilcoxon',
  signFlip: 'sign-flip',
};

const { values: flags } = parseArgs({
  options: {
    rounds: { type: 'string', default: '80' },
    json: { type: 'boolean', default: false },
    replay: { type: 'string' },
    run: { type: 'string' },
    db: { type: 'string' },
    trials: { type: 'string', default: '1000' },
    'power-trials': { type: 'string', default: '300' },
    out: { type: 'string', default: '.bench-out/detection.json' },
    seed: { type: 'string', default: '1' },
    filter: { type: 'string' },
    'time-budget': { type: 'string' },
    'min-rounds': { type: 'string' },
    'max-rounds': { type: 'string' },
    alpha: { type: 'string' },
    threshold: { type: 'string' },
    isolation: { type: 'string' },
    'task-time': { type: 'string' },
    'no-screening': { type: 'boolean', default: false },
    test: { type: 'string', default: DEFAULT_PAIRED_TEST },
    harness: { type: 'string' },
    'harness-command': { type: 'string' },
    measure: { type: 'string', default: 'time' },
  },
  strict: true,
});

function count(name: string, raw: string, min: number): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}, got '${raw}'`);
  return n;
}

/** How a slowdown changes a measure's figure, in words. */
const measureInfoLine = (m: MeasureName) =>
  measureInfo(m).better === 'higher' ? 'smaller (divided by 1 + s)' : 'larger (times 1 + s)';

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const log = (line: string) => process.stderr.write(`detection: ${line}\n`);

async function main(): Promise<void> {
  // A harness example is judged with its own config, as `benchgate compare` run in it would.
  const example = flags.harness === undefined ? null : resolve(process.cwd(), flags.harness);
  const config = resolveConfig(
    {
      filter: flags.filter,
      'time-budget': flags['time-budget'],
      'min-rounds': flags['min-rounds'],
      'max-rounds': flags['max-rounds'],
      alpha: flags.alpha,
      threshold: flags.threshold,
      isolation: flags.isolation,
    },
    example ?? ROOT,
  );
  const timeBudget = timeBudgetOf(config, 'compare');
  let dbPath = resolve(
    ROOT,
    flags.db ?? (example === null ? 'baselines/detection.db' : `baselines/detection-${basename(example)}.db`),
  );
  let runId = flags.run ?? null;
  if (flags.replay !== undefined) {
    dbPath = resolve(process.cwd(), flags.replay);
  } else if (example !== null) {
    const rounds = count('rounds', flags.rounds, 4);
    log(`collecting ${rounds} A/A rounds of the harnesses of ${example} into ${dbPath} (both sides: copies of it)`);
    runId = await collectHarnessAaRounds({
      rounds,
      db: dbPath,
      example,
      config,
      command: flags['harness-command'],
      onRound: (r, s, l) =>
        log(`round ${r}/${rounds} · ${s.toFixed(0)} s · load ${l.load1} · cores busy ${(100 * l.busy).toFixed(0)}%`),
    });
  } else {
    const rounds = count('rounds', flags.rounds, 4);
    log(`collecting ${rounds} A/A rounds of the ${config.profile} suite into ${dbPath} (both sides: this build)`);
    runId = await collectAaRounds({
      rounds,
      db: dbPath,
      cwd: ROOT,
      profile: config.profile,
      filter: config.filter,
      timeBudget,
      alpha: config.alpha,
      minRounds: config.minRounds,
      maxRounds: config.maxRounds,
      suite: config.suite,
      isolation: config.isolation,
      taskTimeMs: flags['task-time'] === undefined ? undefined : count('task-time', flags['task-time'], 1),
      onRound: (r, s) => log(`round ${r}/${rounds} · ${s.toFixed(0)} s`),
    });
  }
  const data = loadReplayData(dbPath, runId);
  if (data.names.length === 0 || data.rounds < 4)
    throw new Error(
      `run ${data.runId} has ${data.rounds} complete rounds of ${data.names.length} benchmarks: too little to replay`,
    );
  for (const d of data.dropped) log(`left out ${d}`);
  const maxRounds = Math.min(config.maxRounds, data.rounds);
  if (data.rounds < 2 * config.maxRounds)
    log(
      `only ${data.rounds} stored rounds for up to ${config.maxRounds} per comparison: trials overlap heavily (collect ≥ ${2 * config.maxRounds})`,
    );
  const measure = flags.measure as MeasureName;
  if (!isMeasureName(measure) || isExact(measure))
    throw new Error(
      `--measure must name a noisy measure (time, peak-memory, allocated, frames/op, …), got '${flags.measure}'`,
    );
  const policy: MeasurePolicy = { measures: config.measures, benchmarks: config.benchmarkRules };
  // Benchmarks whose stored rounds report the measure: the ones a slowdown of it can fall on.
  const measured = (b: number) => (data.processes[b] ?? []).flatMap((p) => [p.head, p.base]);
  const withMeasure = data.names.map((_, b) => b).filter((b) => pairedLogRatios(measured(b), 1, measure).length > 0);
  if (measure !== 'time' && withMeasure.length === 0) throw new Error(`run ${data.runId} has no '${measure}' figures`);
  // compare gives time a share of α when other gated measures (a harness's B/op, …) share it; with
  // --measure, counted from the stored figures as compare counts them (a suite's too).
  const gatedOthers =
    measure === 'time'
      ? data.gatedOthers
      : data.names.reduce(
          (n, name, b) =>
            n + measuresTaken(measured(b)).filter((m) => !isExact(m) && ruleFor(policy, name, m).gate).length,
          0,
        );
  const alpha = timeAlpha(config.alpha, data.names.length, gatedOthers);
  const looks = lookSchedule({
    benchmarks: data.names.length,
    alpha,
    minRounds: Math.min(config.minRounds, maxRounds),
    maxRounds,
  });
  if (!Object.hasOwn(OURS_NAME, flags.test))
    throw new Error(`--test must be one of ${Object.keys(OURS_NAME).join(', ')}, got '${flags.test}'`);
  const test = flags.test as PairedTest;
  const plan = {
    looks,
    thresholdPct: config.threshold,
    minRounds: Math.min(config.minRounds, maxRounds),
    timeBudget,
    screening: !flags['no-screening'],
    test,
  };
  const replay: MeasureReplay | null =
    measure === 'time'
      ? null
      : { measure, policy, alpha: config.alpha, alphaOther: config.alpha - alpha, minRounds: plan.minRounds };
  const OURS =
    replay === null
      ? `benchgate compare (paired ${OURS_NAME[test]}, Holm, looks)`
      : `benchgate compare on ${measure} (rounds from time's looks; paired test, Holm over gated)`;
  const random = seededRandom(count('seed', flags.seed, 0));
  // The anchors read time; with --measure only compare's rule is replayed.
  const anchors = replay === null ? anchorRules : [];
  const rules = [OURS, ...anchors.map((a) => a.name)];
  const tally = (trials: number, slowdown: number) => {
    const hits = new Map(rules.map((r) => [r, 0]));
    // Our rule per slowed benchmark: trials that targeted it, and those that flagged it.
    const perTarget = data.names.map(() => ({ trials: 0, caught: 0 }));
    let seconds = 0;
    // With --measure: the rounds the measured benchmarks got (time's loop stops measuring decided ones).
    let measureRounds = 0;
    return {
      async run() {
        for (let i = 0; i < trials; i++) {
          const trial = drawTrial(data, slowdown, random, replay === null ? null : withMeasure);
          const ours =
            replay === null ? await oursOnTrial(data, trial, plan) : await oursOnMeasure(data, trial, plan, replay);
          seconds += ours.seconds;
          measureRounds += withMeasure.reduce((n, b) => n + (ours.roundsOf[b] ?? 0), 0) / withMeasure.length;
          if (trial.target !== null) {
            const t = perTarget[trial.target] as { trials: number; caught: number };
            t.trials++;
            if (ours.regressed[trial.target] === true) t.caught++;
          }
          const flagged: [string, boolean[]][] = [
            [OURS, ours.regressed],
            ...anchors.map((a): [string, boolean[]] => [a.name, a.flags(data, trial)]),
          ];
          for (const [rule, f] of flagged) {
            const hit = trial.target === null ? f.some(Boolean) : f[trial.target] === true;
            if (hit) hits.set(rule, (hits.get(rule) ?? 0) + 1);
          }
        }
        return {
          rate: new Map([...hits].map(([r, h]) => [r, h / trials])),
          seconds: seconds / trials,
          measureRounds: measureRounds / trials,
          perTarget,
        };
      },
    };
  };
  const aaTrials = count('trials', flags.trials, 1);
  const powerTrials = count('power-trials', flags['power-trials'], 1);
  log(
    `replaying ${aaTrials} A/A trials and ${powerTrials} per slowdown on ${data.rounds} rounds × ${data.names.length} benchmarks (looks at ${looks.map((l) => l.rounds).join(', ')} rounds)`,
  );
  const aa = await tally(aaTrials, 0).run();
  const power: Record<string, Map<string, number>> = {};
  let caughtAt3: { trials: number; caught: number }[] = [];
  for (const s of SLOWDOWNS) {
    const t = await tally(powerTrials, s).run();
    power[String(s)] = t.rate;
    if (s === 3) caughtAt3 = t.perTarget;
  }

  const noise = (replay === null ? data.names : withMeasure.map((b) => data.names[b] as string)).map((name, k) => {
    const b = replay === null ? k : (withMeasure[k] as number);
    const d =
      replay === null
        ? (data.head[b] ?? []).map((h, r) => Math.log(h.median / (data.base[b]?.[r]?.median ?? h.median)))
        : pairedLogRatios(measured(b), 1, measure);
    // A harness run gives one figure per benchmark: no within-process spread is stored.
    const within =
      data.secondsPerRound === null && replay === null ? (data.head[b] ?? []).map((h) => h.sd / h.median) : [];
    return {
      name,
      roundNoisePct: 100 * 1.4826 * medianAbsoluteDeviation(d),
      withinProcessPct: within.length === 0 ? null : 100 * median(within),
      outlierRounds: d.filter((x) => Math.abs(x) > Math.log(1.1)).length,
      caughtAt3: caughtAt3[b] ?? { trials: 0, caught: 0 },
      // The slowdown --max-rounds rounds with this benchmark's noise catch 9 times in 10 at the last
      // look, for the signed-rank tests (capped, or Wilcoxon: the cap at n); not for the sign flip.
      detectablePct:
        test === 'signFlip' || replay !== null
          ? null
          : detectableChangePct(d, {
              level: (looks.at(-1) as Look).alpha / data.names.length,
              rounds: maxRounds,
              thresholdPct: config.threshold ?? 1,
              capShare: test === 'wilcoxon' ? 1 : undefined,
            }),
    };
  });
  const result = {
    ...(replay === null
      ? {}
      : {
          measure,
          meanRoundsOfMeasure: Math.round(aa.measureRounds * 10) / 10,
          gated: withMeasure.filter((b) => ruleFor(policy, data.names[b] as string, measure).gate).length,
        }),
    falseAlarmRate: aa.rate.get(OURS) ?? 0,
    power: Object.fromEntries(SLOWDOWNS.map((s) => [String(s), power[String(s)]?.get(OURS) ?? 0])),
    secondsPerComparison: Math.round(aa.seconds * 10) / 10,
    anchors: Object.fromEntries(
      anchors.map((a) => [
        a.name,
        {
          falseAlarmRate: aa.rate.get(a.name) ?? 0,
          power: Object.fromEntries(SLOWDOWNS.map((s) => [String(s), power[String(s)]?.get(a.name) ?? 0])),
        },
      ]),
    ),
    data: {
      db: dbPath,
      runId: data.runId,
      rounds: data.rounds,
      benchmarks: data.names.length,
      secondsPerTask: data.secondsPerTask,
      secondsPerRound: data.secondsPerRound,
      gatedOthers,
      dropped: data.dropped,
    },
    procedure: {
      looks,
      screenings: plan.screening ? screeningRounds(looks, plan.minRounds) : [],
      alpha: config.alpha,
      alphaTime: alpha,
      thresholdPct: config.threshold ?? 'default-from-noise',
      minRounds: plan.minRounds,
      maxRounds,
      timeBudget,
      test,
    },
    trials: { aa: aaTrials, perSlowdown: powerTrials, seed: Number(flags.seed) },
    noise,
  };
  const out = resolve(ROOT, flags.out);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
  if (flags.json) {
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    return;
  }
  const header = ['rule', 'false alarms', ...SLOWDOWNS.map((s) => `power ${s}%`)];
  const rows = rules.map((r) => [
    r,
    pct(aa.rate.get(r) ?? 0),
    ...SLOWDOWNS.map((s) => pct(power[String(s)]?.get(r) ?? 0)),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  process.stdout.write(
    [
      line(header),
      ...rows.map(line),
      '',
      `${OURS}: ${result.secondsPerComparison} s of measuring per comparison (mean over A/A trials); looks at ${looks.map((l) => `${l.rounds} rounds (α ${l.alpha.toPrecision(2)})`).join(', ')}; ${plan.screening ? `screenings (unchanged only, no α) at ${screeningRounds(looks, plan.minRounds).join(', ')} rounds` : 'no screenings'}`,
      ...(replay === null
        ? []
        : [
            `${measure}: reported by ${withMeasure.length} of ${data.names.length} benchmarks (judged on ${result.meanRoundsOfMeasure ?? 0} rounds each on average over the A/A trials: those time's loop measured it in), gated in ${result.gated ?? 0} (${gatedOthers === 0 ? 'no pair other than time is gated: each verdict' : `the ${gatedOthers} gated pairs other than time: Holm at α ${replay.alphaOther.toPrecision(2)}; ungated ones`} at α ${config.alpha} alone); slowdowns make its figure ${measureInfoLine(measure)}`,
          ]),
      `data: ${data.rounds} A/A rounds × ${data.names.length} benchmarks from run ${data.runId} in ${dbPath}; ${aaTrials} A/A trials, ${powerTrials} per slowdown`,
      `noise per benchmark${replay === null ? '' : ` of ${measure}`} (robust SD of ln(head/base) per round · within-process robust SD · rounds beyond ±10% · 3% slowdowns of it caught by benchgate compare · the slowdown ${maxRounds} rounds with its noise catch 9 times in 10 at the last look):`,
      ...noise.map(
        (n) =>
          `  ${n.name}: ${n.roundNoisePct.toFixed(2)}% · ${n.withinProcessPct === null ? '-' : `${n.withinProcessPct.toFixed(2)}%`} · ${n.outlierRounds} · ${n.caughtAt3.caught}/${n.caughtAt3.trials} · ${n.detectablePct === null ? '-' : `${n.detectablePct.toFixed(1)}%`}`,
      ),
      ...(test === 'signFlip' || replay !== null
        ? []
        : [
            `benchmarks whose noise lets ${maxRounds} rounds catch 3% 9 times in 10: ${noise.filter((n) => n.detectablePct !== null && n.detectablePct <= 3).length} of ${noise.length}`,
          ]),
      `JSON: ${out}`,
      '',
    ].join('\n'),
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`detection: ${(e as Error)?.stack ?? String(e)}\n`);
  process.exitCode = 1;
});

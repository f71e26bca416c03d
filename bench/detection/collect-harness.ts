/**
 * Real A/A rounds of a project's own harnesses, for the detection benchmark: an example folder
 * (`examples/go`, say) is copied into a temporary git repository and once more beside it, and each
 * round runs its harnesses once on each copy in random order (`measureHarnessRound`, as `compare`
 * runs base and head), every benchmark every round. The rounds are stored as a compare run the
 * replay reads (`--replay DB`), with the measured seconds of each round: a harness run costs about
 * the same whichever of its benchmarks it is asked for, so the replay charges a whole round.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ruleFor, type MeasurePolicy } from '../../src/config/measures.js';
import type { Config } from '../../src/config/schema.js';
import { currentRevision } from '../../src/git/revision.js';
import { adapterFor } from '../../src/harness/adapters.js';
import { harnessIdentity, measureHarnessRound, type HarnessMeasured } from '../../src/harness/rounds.js';
import { pairedResult } from '../../src/measure/paired-suites.js';
import { runtimeProbe } from '../../src/measure/probe.js';
import { measuresTaken } from '../../src/measure/summarise.js';
import { detectTestbed } from '../../src/measure/testbed.js';
import { measureInfo, type ProcessMeasurement } from '../../src/model.js';
import { newRunReport } from '../../src/report/run-report.js';
import { openStore } from '../../src/store/open.js';
import { saveRun } from '../../src/store/runs.js';

/** What to collect. */
export interface HarnessCollectOptions {
  rounds: number;
  db: string;
  /** The example folder, holding its `benchgate.config.json` (resolved into `config`). */
  example: string;
  config: Config;
  /** Replaces the command of every harness entry (e.g. the example's with short timing flags). */
  command?: string;
  onRound?: (round: number, seconds: number, load: { load1: number; busy: number }) => void;
}

/** CPU milliseconds busy and in all, summed over the cores, since boot. */
function cpuTimes(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const { times: t } of cpus()) {
    busy += t.user + t.nice + t.sys + t.irq;
    total += t.user + t.nice + t.sys + t.irq + t.idle;
  }
  return { busy, total };
}

/** A harness run that reports nothing for this long is killed. */
const TIMEOUT_MS = 10 * 60 * 1000;

/** Copies `example` into a fresh git repository (one commit) and a plain copy of it; returns both roots. */
function twoCopies(example: string): { dir: string; head: string; base: string } {
  const dir = mkdtempSync(join(tmpdir(), 'benchgate-aa-harness-'));
  const head = join(dir, 'head');
  const base = join(dir, 'base');
  cpSync(example, head, { recursive: true });
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=benchgate', '-c', 'user.email=benchgate@localhost', ...args], {
      cwd: head,
      stdio: 'ignore',
    });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', 'A/A example');
  cpSync(head, base, { recursive: true });
  return { dir, head, base };
}

/** Measures `rounds` A/A rounds of the example's harnesses, stores them as one run and returns its id. */
export async function collectHarnessAaRounds(o: HarnessCollectOptions): Promise<string> {
  const entries = o.config.harnesses.map((e) => (o.command === undefined ? e : { ...e, command: o.command }));
  if (entries.length === 0) throw new Error(`${o.example} configures no harnesses`);
  const adapters = entries.map(adapterFor);
  const { dir, head, base } = twoCopies(o.example);
  try {
    const startedAt = new Date().toISOString();
    const started = Date.now();
    const measured: HarnessMeasured[] = [];
    const roundSeconds: number[] = [];
    // The machine's state per round (a shared VM): 1-minute load average, share of all cores busy.
    const load: { load1: number; busy: number }[] = [];
    const failures: string[] = [];
    for (let round = 1; round <= o.rounds; round++) {
      const t = Date.now();
      const cpu = cpuTimes();
      const got = await measureHarnessRound(
        {
          entries,
          adapters,
          sides: [
            { side: 'base', root: base },
            { side: 'head', root: head },
          ],
          within: '.',
          only: () => null,
          timeoutMs: TIMEOUT_MS,
        },
        round,
      );
      measured.push(...got.measured);
      failures.push(...got.failures.map((f) => `round ${round}, ${f.side}: ${f.message}`));
      roundSeconds.push((Date.now() - t) / 1000);
      const after = cpuTimes();
      load.push({
        load1: Math.round(100 * (loadavg()[0] ?? 0)) / 100,
        busy: Math.round(100 * ((after.busy - cpu.busy) / Math.max(1, after.total - cpu.total))) / 100,
      });
      o.onRound?.(round, (Date.now() - started) / 1000, load.at(-1) as { load1: number; busy: number });
    }
    const measuringSeconds = (Date.now() - started) / 1000;
    const of = (name: string): ProcessMeasurement[] =>
      measured.filter((m) => m.name === name).map(({ name: _n, entry: _e, ...m }) => m);
    const names = [...new Set(measured.map((m) => m.name))];
    const entryOf = (name: string) => (measured.find((m) => m.name === name) as HarnessMeasured).entry;
    const benchmarks = names.map((name) => {
      const e = entryOf(name);
      const adapter = adapters[e]!;
      const c = harnessIdentity(entries[e]!, adapter, name.slice(adapter.prefix.length + 1));
      return pairedResult({ name, case: c, presence: 'both' }, of(name), null);
    });
    // compare splits α between time's verdicts and the other gated, noisy measures (B/op, …):
    // the replay judges time with time's share, as compare does.
    const policy: MeasurePolicy = { measures: o.config.measures, benchmarks: o.config.benchmarkRules };
    const gatedOthers = names.reduce(
      (n, name) =>
        n + measuresTaken(of(name)).filter((m) => !measureInfo(m).exact && ruleFor(policy, name, m).gate).length,
      0,
    );
    const revision = currentRevision(head);
    const report = newRunReport({
      kind: 'compare',
      project: 'benchgate-detection',
      profile: o.config.profile,
      startedAt,
      testbed: detectTestbed(await runtimeProbe()),
      head: revision,
      base: revision,
      settings: {
        detection: 'A/A',
        rounds: o.rounds,
        example: o.example,
        harnesses: entries.map(({ harness, command }) => ({ harness, command })),
        measuringSeconds,
        roundSeconds,
        load,
        gatedOthers,
        failures: failures.slice(0, 50),
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
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

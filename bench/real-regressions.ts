/**
 * Real regressions: does `benchgate compare` catch slowdowns made the way real ones are made? A
 * corpus of patches to benchgate's own kernels (./real-regressions/patches/*.json, each with a
 * known amount of extra work) is applied in a scratch clone of this repository at HEAD; each
 * patch's true effect is measured directly (many processes, each timing both revisions in turn;
 * instruction counts with --instructions), then `compare` runs base → patched and base → base
 * over the patched kernel's benchmarks. Prints per patch: caught / inconclusive / missed as
 * unchanged, compare's estimate against the true effect, false alarms on the other benchmarks,
 * seconds. Nothing in this working tree is changed; the scratch clone is left for reuse.
 *
 *   npm run bench:real-regressions -- [--patches a,b] [--budget S] [--loaded] [--processes N]
 *       [--time-ms MS] [--instructions] [--no-true] [--no-compare] [--scope kernel|targets]
 *       [--scratch DIR] [--base REF] [--out FILE]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, hostname, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runCompare, type CompareOutcome } from './real-regressions/compare.js';
import { loadPatches, type RegressionPatch } from './real-regressions/patches.js';
import { replaySummary } from './real-regressions/replay.js';
import { builtRevision, makeScratch, patchCommit } from './real-regressions/scratch.js';
import { trueEffect, type TrueEffect } from './real-regressions/true-effect.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TRUE_EFFECTS = join(ROOT, 'bench/real-regressions/true-effects.json');

const { values: flags } = parseArgs({
  options: {
    patches: { type: 'string' },
    budget: { type: 'string', default: '60' },
    loaded: { type: 'boolean', default: false },
    processes: { type: 'string', default: '8' },
    'time-ms': { type: 'string', default: '800' },
    instructions: { type: 'boolean', default: false },
    'no-true': { type: 'boolean', default: false },
    'no-compare': { type: 'boolean', default: false },
    scope: { type: 'string', default: 'kernel' },
    scratch: { type: 'string' },
    base: { type: 'string', default: 'HEAD' },
    out: { type: 'string', default: 'docs/results/real-regressions.json' },
  },
  strict: true,
});

const log = (line: string) => process.stderr.write(`real-regressions: ${line}\n`);
const pct = (x: number | null | undefined) =>
  x === null || x === undefined ? '—' : `${x >= 0 ? '+' : ''}${x.toFixed(1)}%`;

/** The true effects stored beside the patches: one entry per patch, the latest measurement. */
interface TrueEffectsFile {
  note: string;
  patches: Record<
    string,
    { machine: string; date: string; command: string; loadBefore: number[]; effects: TrueEffect[] }
  >;
}

function readTrueEffects(): TrueEffectsFile {
  if (!existsSync(TRUE_EFFECTS))
    return {
      note: 'True effects of the real-regression corpus, measured by bench/real-regressions/true-effect.ts (separate processes of each revision, paired); written by npm run bench:real-regressions.',
      patches: {},
    };
  return JSON.parse(readFileSync(TRUE_EFFECTS, 'utf8')) as TrueEffectsFile;
}

function machine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return `${hostname()}: ${cpus().length} × ${cpu}, Node ${process.version}`;
}

/** A CPU-bound neighbour on one core (core 1 where taskset exists) for the duration of the run. */
function startNeighbour(): ChildProcess {
  const busy = ['-e', 'for(;;){}'];
  const taskset = existsSync('/usr/bin/taskset');
  const child = taskset
    ? spawn('taskset', ['-c', '1', process.execPath, ...busy], { stdio: 'ignore' })
    : spawn(process.execPath, busy, { stdio: 'ignore' });
  log(`--loaded: CPU-bound neighbour pid ${child.pid}${taskset ? ' on core 1' : ''}`);
  return child;
}

/** What compare said of a target benchmark, against its true effect. */
function outcomeOf(kind: string): string {
  if (kind === 'regressed') return 'caught';
  if (kind === 'unchanged') return 'MISSED (unchanged)';
  if (kind === 'improved') return 'WRONG WAY (improved)';
  return kind;
}

interface PatchResult {
  id: string;
  intendedExtraPct: number;
  trueEffects: TrueEffect[];
  patched: CompareOutcome | null;
  aa: CompareOutcome | null;
  /**
   * Benchmarks the patch did not target that base → patched flagged, timed directly like the
   * targets: a flag whose direct effect's interquartile range lies on its side of zero is a real
   * change of the patched build (a rebuilt addon moves code that was not edited), not a false alarm.
   */
  collateral?: TrueEffect[];
  error?: string;
}

/** Whether a flagged benchmark's direct timing shows a change its way (IQR on that side of zero). */
function confirmed(kind: string, t: TrueEffect | undefined): boolean {
  if (t === undefined) return false;
  return kind === 'regressed' ? t.iqrPct[0] > 0 : kind === 'improved' ? t.iqrPct[1] < 0 : false;
}

async function main(): Promise<void> {
  const only =
    flags.patches === undefined
      ? null
      : flags.patches
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
  const patches = loadPatches(ROOT, only);
  const budget = Number(flags.budget);
  const processes = Number(flags.processes);
  if (!(budget > 0) || !(processes >= 2)) throw new Error('--budget must be > 0 and --processes ≥ 2');
  const neighbour = flags.loaded ? startNeighbour() : null;
  const cleanup = () => neighbour?.kill('SIGKILL');
  process.on('exit', cleanup);
  const started = new Date().toISOString();
  const scratch = await makeScratch(ROOT, flags.scratch === undefined ? null : resolve(flags.scratch), flags.base, log);
  const baseRoot = await builtRevision(scratch, scratch.baseSha, `base ${scratch.baseSha.slice(0, 10)}`, log);
  const stored = readTrueEffects();
  const baseCounts = new Map<string, number>();
  const results: PatchResult[] = [];
  for (const patch of patches) {
    try {
      await onePatch(patch);
    } catch (e) {
      log(`${patch.id}: FAILED: ${(e as Error).message}`);
      results.push({
        id: patch.id,
        intendedExtraPct: patch.intendedExtraPct,
        trueEffects: [],
        patched: null,
        aa: null,
        error: (e as Error).message,
      });
      writeOut(started, scratch.baseSha, results);
    }
  }
  cleanup();

  async function onePatch(patch: RegressionPatch): Promise<void> {
    const t0 = Date.now();
    const sha = patchCommit(scratch, patch);
    const patchedRoot = await builtRevision(scratch, sha, `patch ${patch.id}`, log);
    let effects: TrueEffect[] = stored.patches[patch.id]?.effects ?? [];
    if (!flags['no-true']) {
      effects = [];
      const loadBefore = loadavg().map((x) => Math.round(x * 100) / 100);
      for (const b of patch.benchmarks) {
        log(`${patch.id}: true effect on ${b} (${processes} processes)`);
        effects.push(
          await trueEffect(baseRoot, patchedRoot, b, {
            processes,
            timeMs: Number(flags['time-ms']),
            instructions: flags.instructions,
            baseCounts,
            log,
          }),
        );
      }
      stored.patches[patch.id] = {
        machine: machine(),
        date: new Date().toISOString(),
        command: `npm run bench:real-regressions -- ${process.argv.slice(2).join(' ')}`.trim(),
        loadBefore,
        effects,
      };
      writeFileSync(TRUE_EFFECTS, `${JSON.stringify(stored, null, 2)}\n`);
    }
    const filter =
      flags.scope === 'targets' ? patch.benchmarks.join(',') : `${(patch.benchmarks[0] ?? '').split('/')[0]}/*`;
    let patchedRun: CompareOutcome | null = null;
    let aa: CompareOutcome | null = null;
    if (!flags['no-compare']) {
      log(`${patch.id}: compare base → patched (${filter}, ${budget} s)`);
      patchedRun = await runCompare(scratch, scratch.baseSha, sha, filter, budget);
      log(`${patch.id}: compare base → base (${filter}, ${budget} s)`);
      aa = await runCompare(scratch, scratch.baseSha, scratch.baseSha, filter, budget);
    }
    const collateral: TrueEffect[] = [];
    for (const v of patchedRun?.verdicts ?? []) {
      if (patch.benchmarks.includes(v.benchmark) || (v.kind !== 'regressed' && v.kind !== 'improved')) continue;
      log(`${patch.id}: ${v.benchmark} was flagged ${v.kind}: timing it directly (${processes} processes)`);
      collateral.push(
        await trueEffect(baseRoot, patchedRoot, v.benchmark, {
          processes,
          timeMs: Number(flags['time-ms']),
          instructions: false,
          baseCounts,
          log,
        }),
      );
    }
    const result: PatchResult = {
      id: patch.id,
      intendedExtraPct: patch.intendedExtraPct,
      trueEffects: effects,
      patched: patchedRun,
      aa,
      collateral,
    };
    results.push(result);
    print(patch, result, (Date.now() - t0) / 1000);
    writeOut(started, scratch.baseSha, results);
  }
}

function print(patch: RegressionPatch, r: PatchResult, seconds: number): void {
  const lines = [
    `\n${patch.id} (${patch.language}, ${patch.bound}; ${patch.how}; intended +${patch.intendedExtraPct}%) — ${seconds.toFixed(0)} s`,
  ];
  for (const b of patch.benchmarks) {
    const t = r.trueEffects.find((e) => e.benchmark === b);
    const v = r.patched?.verdicts.find((x) => x.benchmark === b);
    const two = t && (t.base.twoSpeeds || t.patched.twoSpeeds) ? ' · TWO SPEEDS per process' : '';
    const ins = t?.instructions ? ` · instructions ${pct(t.instructions.effectPct)}` : '';
    const m = r.patched?.replayed.find((x) => x.benchmark === b)?.medians;
    lines.push(
      `  ${b}: true ${t ? `${pct(t.effectPct)} [${pct(t.iqrPct[0])}, ${pct(t.iqrPct[1])}]` : '—'}${ins}${two}` +
        (v ? ` | compare: ${outcomeOf(v.kind)}, estimate ${pct(v.changePct)} (${v.rounds} rounds)` : '') +
        (v?.profileTop ? ` | profile top: ${v.profileTop}` : '') +
        (m ? ` | by medians: ${outcomeOf(m.kind)} ${pct(m.changePct)}` : ''),
    );
  }
  if (r.patched && r.aa) {
    const others = r.patched.verdicts.filter((v) => !patch.benchmarks.includes(v.benchmark));
    const flagged = others.filter((v) => v.kind === 'regressed' || v.kind === 'improved');
    const direct = (v: { benchmark: string }) => r.collateral?.find((t) => t.benchmark === v.benchmark);
    const real = flagged.filter((v) => confirmed(v.kind, direct(v)));
    const alarms = flagged.filter((v) => !real.includes(v));
    const aaAlarms = r.aa.verdicts.filter((v) => v.kind === 'regressed' || v.kind === 'improved');
    const aaInc = r.aa.verdicts.filter((v) => v.kind === 'inconclusive').length;
    const byMedians = replaySummary(r.aa.replayed).medians.kinds;
    lines.push(
      `  others in base → patched: ${alarms.length} false alarm(s) of ${others.length}${alarms.length ? ` (${alarms.map((a) => `${a.benchmark} ${a.kind} ${pct(a.changePct)}, direct ${pct(direct(a)?.effectPct)}`).join(', ')})` : ''}` +
        `${real.length ? `; ${real.length} real change(s) of the rebuilt code, confirmed directly (${real.map((a) => `${a.benchmark} ${a.kind} ${pct(a.changePct)}, direct ${pct(direct(a)?.effectPct)}`).join(', ')})` : ''}; ${r.patched.seconds.toFixed(0)} s`,
      `  base → base: ${aaAlarms.length} false alarm(s) of ${r.aa.verdicts.length}, ${aaInc} inconclusive${aaAlarms.length ? ` (${aaAlarms.map((a) => `${a.benchmark} ${a.kind} ${pct(a.changePct)}`).join(', ')})` : ''}; ${r.aa.seconds.toFixed(0)} s` +
        ` | by medians: ${(byMedians.regressed ?? 0) + (byMedians.improved ?? 0)} alarm(s), ${byMedians.inconclusive ?? 0} inconclusive`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

function writeOut(started: string, baseSha: string, results: PatchResult[]): void {
  const out = resolve(ROOT, flags.out);
  mkdirSync(dirname(out), { recursive: true });
  const doc = {
    command: `npm run bench:real-regressions -- ${process.argv.slice(2).join(' ')}`.trim(),
    machine: machine(),
    started,
    finished: new Date().toISOString(),
    loadavg: loadavg(),
    loaded: flags.loaded,
    base: baseSha,
    results,
  };
  writeFileSync(out, `${JSON.stringify(doc, null, 2)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`real-regressions: ${(e as Error)?.stack ?? String(e)}\n`);
  process.exit(1);
});

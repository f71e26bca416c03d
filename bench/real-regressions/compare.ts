/**
 * Runs `benchgate compare` (the scratch base's own build of it) between two commits of the
 * scratch repository and reads its JSON report: what it said about each benchmark a patch should
 * hit, and the false alarms among the rest it measured.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunReport } from '../../src/model.js';
import { replay, type Replayed } from './replay.js';
import type { Scratch } from './scratch.js';

/** What compare said about one benchmark. */
export interface CompareVerdict {
  benchmark: string;
  kind: string;
  changePct: number | null;
  ciLowPct: number | null;
  ciHighPct: number | null;
  rounds: number;
  /** The top line of a regression's differential CPU profile (function and file:line), when compare profiled it. */
  profileTop: string | null;
}

/** One compare run and its verdicts. */
export interface CompareOutcome {
  base: string;
  head: string;
  filter: string;
  budgetS: number;
  seconds: number;
  exitCode: number;
  verdicts: CompareVerdict[];
  /** The same rounds decided block by block and by the ratio of medians (./replay.ts). */
  replayed: Replayed[];
  command: string;
}

interface ReportBenchmark {
  name: string;
  state: string;
  verdict: { kind: string; changePct: number | null; ciLowPct: number | null; ciHighPct: number | null } | null;
  measurements?: { round: number }[];
  profile?: { top: { function: string; file: string; line: number }[] };
}

/** `benchgate compare --base base --head head --filter filter --time-budget budget` in the scratch. */
export function runCompare(
  s: Scratch,
  base: string,
  head: string,
  filter: string,
  budgetS: number,
): Promise<CompareOutcome> {
  const dir = mkdtempSync(join(tmpdir(), 'benchgate-rr-compare-'));
  const report = join(dir, 'report.json');
  const args = [
    join(s.root, 'bin', 'benchgate.js'),
    'compare',
    '--base',
    base,
    '--head',
    head,
    '--filter',
    filter,
    '--time-budget',
    String(budgetS),
    '--profile',
    'quick',
    '--build-command',
    s.buildCommand,
    '--db',
    join(dir, 'history.db'),
    '--report-json',
    report,
    '--report-markdown',
    join(dir, 'report.md'),
  ];
  const command = `benchgate compare --base ${base.slice(0, 10)} --head ${head.slice(0, 10)} --filter '${filter}' --time-budget ${budgetS}`;
  const started = Date.now();
  return new Promise<CompareOutcome>((resolve, reject) => {
    execFile(
      process.execPath,
      args,
      { cwd: s.root, maxBuffer: 16 << 20, timeout: (budgetS * 4 + 600) * 1000 },
      (err, _out, stderr) => {
        const exitCode = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
        let parsed: { benchmarks: ReportBenchmark[] };
        try {
          parsed = JSON.parse(readFileSync(report, 'utf8')) as RunReport & { benchmarks: ReportBenchmark[] };
        } catch {
          reject(new Error(`${command} wrote no report (exit ${exitCode}): ${stderr.slice(-1500)}`));
          return;
        }
        const verdicts = parsed.benchmarks
          .filter((b) => b.state === 'completed')
          .map((b) => ({
            benchmark: b.name,
            kind: b.verdict?.kind ?? 'none',
            changePct: b.verdict?.changePct ?? null,
            ciLowPct: b.verdict?.ciLowPct ?? null,
            ciHighPct: b.verdict?.ciHighPct ?? null,
            rounds: new Set((b.measurements ?? []).map((m) => m.round)).size,
            profileTop: ((t) => (t ? `${t.function} (${t.file}:${t.line})` : null))(b.profile?.top[0]),
          }));
        const replayed = replay(parsed as unknown as RunReport);
        resolve({
          base,
          head,
          filter,
          budgetS,
          seconds: (Date.now() - started) / 1000,
          exitCode,
          verdicts,
          replayed,
          command,
        });
      },
    );
  }).finally(() => rmSync(dir, { recursive: true, force: true }));
}

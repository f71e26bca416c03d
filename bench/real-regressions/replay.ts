/**
 * Replays a compare report's time verdicts with each of two per-round statistics, on the same
 * rounds: `blocks` (ln(head/base) taken block by block inside each paired process, what compare
 * uses) and `medians` (the ratio of the two sides' medians, what it used before). Both go through
 * decideSuite with the report's threshold and the alpha of its last look, Holm over the family, so
 * the two differ in the statistic only. Also the per-round noise (robust SD of d) of each.
 *
 *   node dist/bench/real-regressions/replay.js REPORT.json
 */
import { medianAbsoluteDeviation } from 'simple-statistics';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BenchmarkResult, RunReport } from '../../src/model.js';
import { pairedLogRatios } from '../../src/measure/paired-log-ratios.js';
import { decideSuite } from '../../src/stats/decide-suite.js';

/** One benchmark's verdict and per-round noise under one statistic. */
export interface StatisticOutcome {
  kind: string;
  changePct: number | null;
  ciLowPct: number | null;
  ciHighPct: number | null;
  noisePct: number;
}

export interface Replayed {
  benchmark: string;
  rounds: number;
  blocks: StatisticOutcome;
  medians: StatisticOutcome;
}

const MAD_TO_SD = 1.4826;

function withoutBlocks(b: BenchmarkResult): BenchmarkResult['measurements'] {
  return b.measurements.map(({ blockLogRatio: _, ...m }) => m);
}

/** Both statistics' verdicts for every compared benchmark of a compare report. */
export function replay(report: RunReport): Replayed[] {
  const compared = report.benchmarks.filter((b) => b.verdict !== null);
  const looks = report.settings.looks as { alpha: number }[] | undefined;
  const alpha = looks?.at(-1)?.alpha ?? (report.settings.alphaTime as number | undefined) ?? 0.01;
  const thresholdPct = report.settings.thresholdPct as number;
  const decide = (ds: number[][]) => decideSuite(ds, { alpha, thresholdPct, correction: 'holm' });
  const dBlocks = compared.map((b) => pairedLogRatios(b.measurements));
  const dMedians = compared.map((b) => pairedLogRatios(withoutBlocks(b)));
  const [vb, vm] = [decide(dBlocks), decide(dMedians)];
  const outcome = (v: (typeof vb)[number] | undefined, d: number[]): StatisticOutcome => ({
    kind: v?.kind ?? 'none',
    changePct: v?.changePct ?? null,
    ciLowPct: v?.ciLowPct ?? null,
    ciHighPct: v?.ciHighPct ?? null,
    noisePct: d.length > 1 ? 100 * MAD_TO_SD * medianAbsoluteDeviation(d) : Number.NaN,
  });
  return compared.map((b, i) => ({
    benchmark: b.name,
    rounds: dBlocks[i]!.length,
    blocks: outcome(vb[i], dBlocks[i]!),
    medians: outcome(vm[i], dMedians[i]!),
  }));
}

/** Counts of each verdict kind and the median per-round noise, per statistic. */
export function replaySummary(
  rows: Replayed[],
): Record<'blocks' | 'medians', { kinds: Record<string, number>; medianNoisePct: number }> {
  const of = (k: 'blocks' | 'medians') => {
    const kinds: Record<string, number> = {};
    for (const r of rows) kinds[r[k].kind] = (kinds[r[k].kind] ?? 0) + 1;
    const noise = rows
      .map((r) => r[k].noisePct)
      .filter(Number.isFinite)
      .sort((a, b) => a - b);
    return { kinds, medianNoisePct: noise.length ? (noise[Math.floor((noise.length - 1) / 2)] as number) : Number.NaN };
  };
  return { blocks: of('blocks'), medians: of('medians') };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = process.argv[2];
  if (file === undefined) throw new Error('usage: replay REPORT.json');
  const rows = replay(JSON.parse(readFileSync(file, 'utf8')) as RunReport);
  const f = (o: StatisticOutcome) =>
    `${o.kind.padEnd(12)} ${o.changePct === null ? '—' : `${o.changePct.toFixed(2)}%`.padStart(7)}  noise ${o.noisePct.toFixed(2)}%`;
  for (const r of rows)
    console.log(
      `${r.benchmark.padEnd(40)} ${String(r.rounds).padStart(3)}  blocks ${f(r.blocks)} | medians ${f(r.medians)}`,
    );
  console.log(JSON.stringify(replaySummary(rows)));
}

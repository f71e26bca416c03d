/**
 * The roofline as a table (Markdown, and the terminal's plain-text view of the same rows): the
 * machine's roofs with their spread, then per benchmark its time, GFLOP/s, GB/s, fraction of the
 * binding roof with its interquartile range over rounds, speedup over its kernel's naive rung and
 * extra memory. Names are escaped (they are data).
 */
import type { Interquartile, RooflineReport, RooflineResult } from '../model.js';
import { formatMiB, formatSeconds } from './format.js';
import { escapeMarkdown } from './markdown.js';

const num = (x: number | null, digits = 3) => (x === null || !Number.isFinite(x) ? '—' : x.toPrecision(digits));
const pct = (x: number | null) => (x === null || !Number.isFinite(x) ? '—' : `${(100 * x).toFixed(0)}%`);
const pctRange = (x: number | null, iqr: Interquartile | null) =>
  x === null || iqr === null ? pct(x) : `${pct(x)} (${(100 * iqr[0]).toFixed(0)}–${(100 * iqr[1]).toFixed(0)})`;
const withIqr = (x: number | null, iqr: Interquartile | null) =>
  iqr === null ? num(x) : `${num(x)} (IQR ${num(iqr[0])}–${num(iqr[1])})`;
const times = (x: number | null) => (x === null || !Number.isFinite(x) ? '—' : `${x.toPrecision(3)}×`);

const HEAD = [
  'kernel',
  'implementation',
  'fixture',
  'time',
  'GFLOP/s',
  'GB/s',
  'bound',
  'of roof',
  'vs naive',
  'extra memory',
];

function cells(r: RooflineResult): string[] {
  if (r.state !== 'completed')
    return [r.kernel, r.implementation, r.fixture, `${r.state}: ${r.reason ?? ''}`, '', '', '', '', '', ''];
  return [
    r.kernel,
    r.implementation,
    r.fixture,
    formatSeconds(r.medianSeconds),
    num(r.gflops),
    num(r.gbps),
    r.boundBy ?? '—',
    pctRange(r.fractionOfLimit, r.fractionIqr),
    times(r.speedupOverNaive),
    formatMiB(r.extraMemoryBytes),
  ];
}

/** One line about the measured roofs and their spread (or why they are missing). */
export function machineLine({ machine: m }: RooflineReport): string {
  if (m.reason !== null) return `machine limits not measured: ${m.reason}`;
  const ridge = m.fmaPeakGflops !== null && m.bandwidthGBs !== null ? m.fmaPeakGflops / m.bandwidthGBs : null;
  return (
    `FMA peak ${withIqr(m.fmaPeakGflops, m.fmaPeakIqr)} GFLOP/s (${m.simd}, ${m.threads} threads) · ` +
    `STREAM triad ${withIqr(m.bandwidthGBs, m.bandwidthIqr)} GB/s · ridge at ${num(ridge)} flop/byte · ` +
    `medians over ${m.probes} processes, each probe beside a benchmark`
  );
}

/** The Markdown roofline report. */
export function renderRooflineMarkdown(report: RooflineReport): string {
  const { testbed: t } = report;
  return [
    `## benchgate roofline (${escapeMarkdown(report.profile)} profile)`,
    '',
    escapeMarkdown(machineLine(report)),
    '',
    `| ${HEAD.join(' | ')} |`,
    `|${HEAD.map((_, i) => (i < 3 || i === 6 ? '---' : '---:')).join('|')}|`,
    ...report.results.map((r) => `| ${cells(r).map(escapeMarkdown).join(' | ')} |`),
    '',
    `Naive rung per kernel: ${[...new Set(report.results.map((r) => `${r.kernel} → ${r.naiveImplementation}`))].map(escapeMarkdown).join(', ')}. ` +
      '"of roof" is the median over rounds of achieved GFLOP/s over min(FMA peak, intensity × triad bandwidth), ' +
      'with both roofs measured beside the benchmark in the same round; in brackets, the interquartile range over rounds.',
    '',
    `Testbed: ${escapeMarkdown(t.cpuModel)}, ${t.cores} cores, ${escapeMarkdown(t.simd)}, ${escapeMarkdown(t.os)}, Node ${escapeMarkdown(t.node)}${t.gpu ? `, ${escapeMarkdown(t.gpu)}` : ''} · ${escapeMarkdown(report.startedAt)}`,
    '',
  ].join('\n');
}

const clean = (s: string) =>
  [...s].map((ch) => (ch.charCodeAt(0) < 32 || ch.charCodeAt(0) === 127 ? '?' : ch)).join('');

/** The same table for a terminal: aligned columns, control characters in names replaced. */
export function renderRooflineTerminal(report: RooflineReport): string {
  const done = report.results.filter((r) => r.state === 'completed');
  const rows = [HEAD, ...done.map((r) => cells(r).map(clean))];
  const widths = HEAD.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i < 3 || i === 6 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const notRun = report.results
    .filter((r) => r.state !== 'completed')
    .map((r) => clean(`${r.kernel}/${r.implementation}/${r.fixture}: ${r.state}: ${r.reason ?? ''}`));
  return [clean(machineLine(report)), '', ...rows.map(line), ...(notRun.length > 0 ? ['', ...notRun] : [])].join('\n');
}

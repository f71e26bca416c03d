/** The terminal table: one row per benchmark, regressions first, then the run's headline. */
import type { RunReport } from '../model.js';
import { formatPct, formatSeconds, formatThroughput } from './format.js';
import { headline, ordered } from './summary.js';

const width = (s: string) => [...s].length;
const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - width(s)));

/** Renders the report as a fixed-width table for a terminal. */
export function renderTerminal(report: RunReport): string {
  const header = ['benchmark', 'median', 'spread', 'throughput', 'change', 'verdict'];
  const rows = ordered(report.benchmarks).map((b) => [
    b.name,
    formatSeconds(b.medianSeconds),
    b.spreadPct === null ? '—' : `±${b.spreadPct.toFixed(1)}%`,
    formatThroughput(b.gflops, b.gbps),
    formatPct(b.verdict.changePct),
    b.state === 'completed' ? b.verdict.verdict : `${b.state}: ${b.reason ?? ''}`,
  ]);
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: string[]) => cells.map((c, i) => pad(c, widths[i] ?? 0)).join('  ').trimEnd();
  const s = report.summary;
  const tb = report.testbed;
  return [
    line(header),
    line(widths.map((w) => '─'.repeat(w))),
    ...rows.map(line),
    '',
    `${headline(s)} · ${s.unchanged} unchanged · ${s.inconclusive} inconclusive · ${s.errored} errored · ${s.skipped} skipped`,
    `testbed ${tb.key}: ${tb.cpuModel}, ${tb.cores} cores, ${tb.simd}, ${tb.os}, Node ${tb.node}${tb.gpu ? `, ${tb.gpu}` : ''}`,
  ].join('\n');
}

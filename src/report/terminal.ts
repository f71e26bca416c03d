/**
 * The terminal table: one row per benchmark, regressions first, then the run's headline. Long
 * reasons go below the table as notes, so the table stays as wide as its numbers.
 */
import type { BenchmarkResult, RunReport } from '../model.js';
import { formatInterval, formatPct, formatSeconds, formatThroughput } from './format.js';
import { measureLines, measureSentence } from './measures.js';
import { countsLine, gateChangesLine, headline, ordered, verdictLabel } from './summary.js';

const width = (s: string) => [...s].length;
const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - width(s)));

/** `before → after` of a compare run's benchmark (one side only for added/removed). */
export function beforeAfter(b: BenchmarkResult): string {
  if (b.presence === 'added') return `— → ${formatSeconds(b.medianSeconds)}`;
  if (b.presence === 'removed') return `${formatSeconds(b.medianSeconds)} → —`;
  return `${formatSeconds(b.baselineMedianSeconds)} → ${formatSeconds(b.medianSeconds)}`;
}

const superscripts = '⁰¹²³⁴⁵⁶⁷⁸⁹';
const superscript = (n: number) => [...String(n)].map((d) => superscripts[Number(d)]).join('');

/**
 * Numbered notes for failure reasons: the cell shows `skipped¹`, the note `¹ skipped: <reason>`.
 * Benchmarks failing for the same reason share one note.
 */
class Notes {
  readonly lines: string[] = [];
  private readonly numbers = new Map<string, number>();

  verdictCell(b: BenchmarkResult): string {
    if (b.presence === 'added' || b.presence === 'removed' || b.state === 'completed' || !b.reason)
      return verdictLabel(b, false);
    const text = `${b.state}: ${b.reason}`;
    let n = this.numbers.get(text);
    if (n === undefined) {
      n = this.numbers.size + 1;
      this.numbers.set(text, n);
      this.lines.push(`${superscript(n)} ${text}`);
    }
    return `${b.state}${superscript(n)}`;
  }
}

function historyRow(b: BenchmarkResult, notes: Notes): string[] {
  return [
    b.name,
    formatSeconds(b.medianSeconds),
    b.spreadPct === null ? '—' : `±${b.spreadPct.toFixed(1)}%`,
    formatThroughput(b.gflops, b.gbps),
    formatPct(b.verdict?.changePct ?? null),
    notes.verdictCell(b),
  ];
}

function compareRow(b: BenchmarkResult, notes: Notes): string[] {
  return [
    b.name,
    beforeAfter(b),
    formatPct(b.verdict?.changePct ?? null),
    formatInterval(b.verdict?.ciLowPct ?? null, b.verdict?.ciHighPct ?? null),
    formatThroughput(b.gflops, b.gbps),
    notes.verdictCell(b),
  ];
}

/** The measures other than time that were judged: the flagged ones in full, the rest counted. */
function measuresSection(report: RunReport): string[] {
  const all = measureLines(report).filter((l) => l.kind !== null);
  if (all.length === 0) return [];
  const flagged = all.filter((l) => l.kind === 'regressed' || l.kind === 'improved');
  const rest = all.length - flagged.length;
  return [
    ...flagged.map((l) => `  ${l.benchmark}: ${measureSentence(l)}`),
    `  measures besides time: ${flagged.length} flagged${rest > 0 ? `, ${rest} unchanged or inconclusive` : ''}`,
    '',
  ];
}

/** Renders the report as a fixed-width table for a terminal. */
export function renderTerminal(report: RunReport): string {
  const compare = report.kind === 'compare';
  const header = compare
    ? ['benchmark', 'before → after', 'change', '95% CI', 'throughput', 'verdict']
    : ['benchmark', 'median', 'spread', 'throughput', 'change', 'verdict'];
  const notes = new Notes();
  const rows = ordered(report.benchmarks).map((b) => (compare ? compareRow : historyRow)(b, notes));
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => pad(c, widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const s = report.summary;
  const tb = report.testbed;
  const revisions =
    compare && report.base
      ? [
          `base ${report.base.ref ?? ''} ${report.base.sha?.slice(0, 10) ?? ''} → head ${report.head.ref ?? ''} ${report.head.sha?.slice(0, 10) ?? 'working tree'}${report.head.dirty ? ' (with uncommitted changes)' : ''}`.replace(
            /\s+/g,
            ' ',
          ),
        ]
      : [];
  const reasons = ordered(report.benchmarks)
    .filter(
      (b) =>
        b.presence === 'both' &&
        b.state === 'completed' &&
        (b.verdict?.kind === 'regressed' ||
          b.verdict?.kind === 'improved' ||
          (compare && b.verdict?.kind === 'inconclusive')),
    )
    .map((b) => `  ${b.name}: ${b.verdict?.reason ?? ''}`);
  return [
    line(header),
    line(widths.map((w) => '─'.repeat(w))),
    ...rows.map(line),
    '',
    ...(notes.lines.length > 0 ? [...notes.lines, ''] : []),
    ...(reasons.length > 0 ? [...reasons, ''] : []),
    ...measuresSection(report),
    `${headline(s)} · ${countsLine(s, false)}`,
    ...(gateChangesLine(report) ? [gateChangesLine(report) as string] : []),
    ...revisions,
    `testbed ${tb.key}: ${tb.cpuModel}, ${tb.cores} cores, ${tb.simd}, ${tb.os}, Node ${tb.node}${tb.gpu ? `, ${tb.gpu}` : ''}`,
  ].join('\n');
}

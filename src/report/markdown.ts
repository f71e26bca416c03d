/**
 * The Markdown report (file, PR comment, job summary): the headline, the regressions and
 * improvements with their numbers, everything else collapsed, and the testbed. Names are data:
 * table-breaking and HTML characters are escaped so they show as written.
 */
import type { BenchmarkResult, RunReport } from '../model.js';
import { formatInterval, formatPct, formatSeconds, formatThroughput } from './format.js';
import { countsLine, headline, ordered, verdictLabel } from './summary.js';

/** Escapes text for a Markdown table cell that GitHub renders (HTML included). */
export function escapeCell(text: string): string {
  return (
    text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      // Backslashes first: escaping them after the pipes would turn `\|` into `\\|`, which ends the cell.
      .replace(/([\\`*_[\]])/g, '\\$1')
      .replace(/\|/g, '\\|')
      .replace(/[\r\n]+/g, ' ')
  );
}

function table(benchmarks: BenchmarkResult[]): string[] {
  return [
    '| benchmark | before | after | change | interval | throughput | verdict |',
    '|---|---:|---:|---:|---|---:|---|',
    ...benchmarks.map(
      (b) =>
        `| ${escapeCell(b.name)} | ${b.presence === 'added' ? '—' : formatSeconds(b.presence === 'removed' ? b.medianSeconds : b.baselineMedianSeconds)} | ${b.presence === 'removed' ? '—' : formatSeconds(b.medianSeconds)} | ${formatPct(b.verdict?.changePct ?? null)} | ` +
        `${formatInterval(b.verdict?.ciLowPct ?? null, b.verdict?.ciHighPct ?? null)} | ${formatThroughput(b.gflops, b.gbps)} | ` +
        `${escapeCell(verdictLabel(b, false))} |`,
    ),
  ];
}

/** Renders the report as GitHub-flavoured Markdown. */
export function renderMarkdown(report: RunReport): string {
  const all = ordered(report.benchmarks);
  const compared = (b: BenchmarkResult) => b.presence === 'both';
  const flagged = all.filter(
    (b) =>
      compared(b) && b.state === 'completed' && (b.verdict?.kind === 'regressed' || b.verdict?.kind === 'improved'),
  );
  const oneSided = all.filter((b) => !compared(b));
  const rest = all.filter((b) => !flagged.includes(b) && compared(b));
  const s = report.summary;
  const tb = report.testbed;
  const icon = s.regressed > 0 ? '🔴' : '🟢';
  const rev = report.base
    ? `\`${report.base.sha?.slice(0, 7) ?? 'base'}\` → \`${report.head.sha?.slice(0, 7) ?? 'working tree'}\`${report.head.dirty ? ' (with uncommitted changes)' : ''}`
    : `\`${report.head.sha?.slice(0, 7) ?? 'working tree'}\`${report.head.dirty ? ' (uncommitted changes)' : ''} against the history of this testbed`;
  const out = [`## ${icon} benchgate: ${headline(s)}`, '', `${rev} · ${countsLine(s, true)}`, ''];
  if (flagged.length > 0) out.push(...table(flagged), '');
  for (const b of flagged) out.push(`- **${escapeCell(b.name)}**: ${escapeCell(b.verdict?.reason ?? '')}`);
  if (flagged.length > 0) out.push('');
  if (oneSided.length > 0) {
    out.push(`**Added or removed** (on one side only, not compared):`, '', ...table(oneSided), '');
  }
  if (rest.length > 0) {
    // Why each inconclusive one is: what held it back, and the slowdown its rounds would have caught.
    const inconclusive = rest
      .filter((b) => report.kind === 'compare' && b.state === 'completed' && b.verdict?.kind === 'inconclusive')
      .map((b) => `- ${escapeCell(b.name)}: ${escapeCell(b.verdict?.reason ?? '')}`);
    out.push(
      `<details><summary>${rest.length} other benchmark${rest.length === 1 ? '' : 's'}</summary>`,
      '',
      ...table(rest),
      '',
      ...(inconclusive.length > 0 ? [...inconclusive, ''] : []),
      '</details>',
      '',
    );
  }
  out.push(
    `<sub>testbed \`${tb.key}\`: ${escapeCell(tb.cpuModel)}, ${tb.cores} cores, ${tb.simd}, ${tb.os}, Node ${tb.node}${tb.gpu ? `, ${escapeCell(tb.gpu)}` : ''} · run \`${report.id}\` · profile ${report.profile}</sub>`,
  );
  return out.join('\n') + '\n';
}

/**
 * The PR comment's text: a hidden marker (to find the comment again) and the Markdown report, cut
 * to GitHub's 65,536-character limit when needed — the worst regressions first, as many benchmarks
 * as fit, the rest summarised in counts, and a link to the full report.
 */
import type { BenchmarkResult, RunReport } from '../model.js';
import { renderMarkdown } from '../report/markdown.js';
import { ordered } from '../report/summary.js';

/** GitHub refuses comment bodies (and check-run texts) longer than this. */
export const GITHUB_BODY_LIMIT = 65_536;

/** The hidden line that marks benchgate's comment; `key` separates several gates in one repository. */
export function commentMarker(key = 'default'): string {
  return `<!-- benchgate:comment:${key.replace(/[^A-Za-z0-9._-]/g, '_')} -->`;
}

function tally(rest: BenchmarkResult[]): string {
  const counts = new Map<string, number>();
  for (const b of rest) {
    const k = b.state === 'completed' ? (b.verdict?.kind ?? 'measured') : b.state;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return [...counts].map(([k, n]) => `${n} ${k}`).join(', ');
}

function note(rest: BenchmarkResult[], shown: number, reportUrl: string | null): string {
  const link =
    reportUrl === null
      ? 'the full report is in the workflow run'
      : `the full report is in the [workflow run's artifacts](${reportUrl})`;
  return `\n> [!NOTE]\n> This report was cut to fit GitHub's ${GITHUB_BODY_LIMIT.toLocaleString('en-US')}-character limit: ${shown} benchmarks shown (worst regressions first); the other ${rest.length} (${tally(rest)}) are left out — ${link}.\n`;
}

/**
 * Renders `report` as Markdown of at most `limit` characters, prefixed by `prefix` (the marker).
 * Cutting keeps the report's own order (regressions, largest first) and the real summary counts.
 */
export function fittedMarkdown(
  report: RunReport,
  options: { prefix?: string; reportUrl?: string | null; limit?: number } = {},
): string {
  const prefix = options.prefix === undefined ? '' : `${options.prefix}\n`;
  const limit = options.limit ?? GITHUB_BODY_LIMIT;
  const full = prefix + renderMarkdown(report);
  if (full.length <= limit) return full;
  const all = ordered(report.benchmarks);
  const render = (k: number) =>
    prefix +
    renderMarkdown({ ...report, benchmarks: all.slice(0, k) }) +
    note(all.slice(k), k, options.reportUrl ?? null);
  // The length grows with the number of benchmarks shown: find the most that fit.
  let lo = 0;
  let hi = all.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (render(mid).length <= limit) lo = mid;
    else hi = mid - 1;
  }
  const body = render(lo);
  // Even the headline alone too long (absurd names in the testbed): hard cut, still under the limit.
  return body.length <= limit ? body : body.slice(0, limit - 40) + "\n\n… (cut to fit GitHub's limit)\n";
}

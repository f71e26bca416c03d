/**
 * The `benchgate` check run on the head commit: `failure` when anything regressed (make it a
 * required check and the merge is blocked), `success` otherwise, with a short summary and the
 * report as its text.
 */
import type { Octokit } from 'octokit';
import type { RunReport } from '../model.js';
import { formatInterval, formatPct } from '../report/format.js';
import { escapeMarkdown } from '../report/markdown.js';
import { measureLines, measureSentence } from '../report/measures.js';
import { gateChangesLine, headline, ordered } from '../report/summary.js';
import { fittedMarkdown } from './comment-body.js';

/** The check's name: what a repository marks as required. */
export const CHECK_NAME = 'benchgate';

/** The gate's answer for a report. */
export function conclusionOf(report: RunReport): 'failure' | 'success' {
  return report.summary.regressed > 0 ? 'failure' : 'success';
}

/** A few lines: counts and the worst regressions (at most five). */
export function checkSummary(report: RunReport, reportUrl: string | null): string {
  const s = report.summary;
  const worst = ordered(report.benchmarks)
    .filter((b) => b.state === 'completed' && b.gated !== false && b.verdict?.kind === 'regressed')
    .slice(0, 5)
    .map(
      (b) =>
        `- ${escapeMarkdown(b.name)}: ${formatPct(b.verdict?.changePct ?? null)} ${formatInterval(b.verdict?.ciLowPct ?? null, b.verdict?.ciHighPct ?? null)}`,
    );
  const measures = measureLines(report, true)
    .filter((l) => l.gated && l.kind === 'regressed')
    .slice(0, 5)
    .map((l) => `- ${escapeMarkdown(l.benchmark)}: ${escapeMarkdown(measureSentence(l))}`);
  return [
    `${s.regressed} regressed · ${s.improved} improved · ${s.unchanged} unchanged · ${s.inconclusive} inconclusive · ${s.errored} errored · ${s.skipped} skipped`,
    ...(worst.length + measures.length > 0 ? ['', ...worst, ...measures] : []),
    ...(gateChangesLine(report) ? ['', gateChangesLine(report) as string] : []),
    ...(reportUrl ? ['', `[Workflow run with the full report](${reportUrl})`] : []),
  ].join('\n');
}

/** Creates the completed check run; returns its id and link. */
export async function createCheckRun(
  octokit: Octokit,
  c: {
    owner: string;
    repo: string;
    headSha: string;
    report: RunReport;
    reportUrl: string | null;
    detailsUrl?: string | null;
  },
): Promise<{ id: number; url: string; conclusion: 'failure' | 'success' }> {
  const conclusion = conclusionOf(c.report);
  const { data } = await octokit.rest.checks.create({
    owner: c.owner,
    repo: c.repo,
    name: CHECK_NAME,
    head_sha: c.headSha,
    status: 'completed',
    conclusion,
    completed_at: new Date().toISOString(),
    ...(c.detailsUrl ? { details_url: c.detailsUrl } : {}),
    output: {
      title: `benchgate: ${headline(c.report.summary)}`,
      summary: checkSummary(c.report, c.reportUrl),
      text: fittedMarkdown(c.report, { reportUrl: c.reportUrl, limit: 65_535 }),
    },
  });
  return { id: data.id, url: data.html_url ?? '', conclusion };
}

/**
 * Creates a failing check run for a gate that reached no verdict (the shards of a sharded run do
 * not make one whole): `title` says so, `text` lists why.
 */
export async function createFailedCheckRun(
  octokit: Octokit,
  c: { owner: string; repo: string; headSha: string; title: string; text: string; detailsUrl: string | null },
): Promise<{ id: number; url: string; conclusion: 'failure' }> {
  const cut = (t: string) => (t.length <= 65_535 ? t : `${t.slice(0, 65_000)}\n\n… (cut to fit GitHub's limit)\n`);
  const { data } = await octokit.rest.checks.create({
    owner: c.owner,
    repo: c.repo,
    name: CHECK_NAME,
    head_sha: c.headSha,
    status: 'completed',
    conclusion: 'failure',
    completed_at: new Date().toISOString(),
    ...(c.detailsUrl ? { details_url: c.detailsUrl } : {}),
    output: { title: c.title.slice(0, 255), summary: cut(c.text), text: cut(c.text) },
  });
  return { id: data.id, url: data.html_url ?? '', conclusion: 'failure' };
}

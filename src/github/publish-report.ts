/**
 * Everything a gate's report becomes on GitHub: the job summary, the step outputs, the sticky PR
 * comment and the `benchgate` check run. A read-only token (fork) turns the writes into warnings.
 */
import type { Octokit } from 'octokit';
import type { RunReport } from '../model.js';
import { renderMarkdown } from '../report/markdown.js';
import { createCheckRun, createFailedCheckRun } from './check-run.js';
import { commentMarker, fittedMarkdown, GITHUB_BODY_LIMIT } from './comment-body.js';
import { unlessForbidden } from './forbidden.js';
import { setGateOutputs } from './job-outputs.js';
import { writeJobSummary } from './job-summary.js';
import { upsertStickyComment, type StickyResult } from './sticky-comment.js';

/** Where the report goes. */
export interface PublishTarget {
  /** Null without a token: only the summary and outputs are written. */
  octokit: Octokit | null;
  owner: string;
  repo: string;
  /** The pull request to comment on; null for none. */
  prNumber: number | null;
  /** The commit the check run is attached to. */
  headSha: string;
  /** Link to the workflow run that holds the full report. */
  reportUrl: string;
  comment: 'always' | 'on-change' | 'never';
  checkRun: boolean;
}

/** What was posted. */
export interface Published {
  comment: StickyResult | null;
  check: { id: number; url: string; conclusion: 'failure' | 'success' } | null;
}

/** Creates or updates the sticky comment on the target's pull request (a forbidden token only warns). */
function postComment(
  octokit: NonNullable<PublishTarget['octokit']>,
  t: PublishTarget,
  c: { marker: string; body: string; changed: boolean },
  warn: (message: string) => void,
): Promise<StickyResult | null> {
  return unlessForbidden(
    'post the pull-request comment',
    () =>
      upsertStickyComment(octokit, {
        owner: t.owner,
        repo: t.repo,
        issueNumber: t.prNumber as number,
        marker: c.marker,
        body: c.body,
        policy: t.comment as 'always' | 'on-change',
        changed: c.changed,
      }),
    warn,
  );
}

/** Writes the summary and outputs, then the comment and the check run. */
export async function publishReport(
  report: RunReport,
  reportPath: string,
  t: PublishTarget,
  warn: (message: string) => void,
): Promise<Published> {
  await writeJobSummary(renderMarkdown(report));
  setGateOutputs(report, reportPath);
  const out: Published = { comment: null, check: null };
  if (t.octokit === null) {
    if (t.comment !== 'never' || t.checkRun)
      warn('benchgate: no github-token, so no PR comment or check run (the job summary and outputs are written)');
    return out;
  }
  const octokit = t.octokit;
  if (t.prNumber !== null && t.comment !== 'never') {
    const marker = commentMarker();
    const body = fittedMarkdown(report, { prefix: marker, reportUrl: t.reportUrl });
    const changed = report.summary.regressed + report.summary.improved > 0;
    out.comment = await postComment(octokit, t, { marker, body, changed }, warn);
  }
  if (t.checkRun) {
    out.check = await unlessForbidden(
      'create the benchgate check run',
      () =>
        createCheckRun(octokit, {
          owner: t.owner,
          repo: t.repo,
          headSha: t.headSha,
          report,
          reportUrl: t.reportUrl,
          detailsUrl: t.reportUrl,
        }),
      warn,
    );
  }
  return out;
}

/**
 * Posts a gate that reached no verdict (shards that do not make one run): `markdown` says why, in
 * the job summary, the sticky comment (created whatever the `on-change` policy: a failure is news)
 * and a failing check run titled `title`. Never a pass.
 */
export async function publishNoVerdict(
  markdown: string,
  title: string,
  t: PublishTarget,
  warn: (message: string) => void,
): Promise<Published> {
  await writeJobSummary(markdown);
  const out: Published = { comment: null, check: null };
  if (t.octokit === null) {
    warn('benchgate: no github-token, so no PR comment or check run (the job summary is written)');
    return out;
  }
  const octokit = t.octokit;
  if (t.prNumber !== null && t.comment !== 'never') {
    const marker = commentMarker();
    const full = `${marker}\n${markdown}`;
    const body =
      full.length <= GITHUB_BODY_LIMIT
        ? full
        : `${full.slice(0, GITHUB_BODY_LIMIT - 40)}\n\n… (cut to fit GitHub's limit)\n`;
    out.comment = await postComment(octokit, t, { marker, body, changed: true }, warn);
  }
  if (t.checkRun) {
    out.check = await unlessForbidden(
      'create the benchgate check run',
      () =>
        createFailedCheckRun(octokit, {
          owner: t.owner,
          repo: t.repo,
          headSha: t.headSha,
          title,
          text: markdown,
          detailsUrl: t.reportUrl,
        }),
      warn,
    );
  }
  return out;
}

/**
 * Publish mode, for the fork-safe `workflow_run` workflow: reads the report the pull request's
 * run uploaded (untrusted: validated, and its head must be the run's head) — or every shard's
 * report, merged into one — finds the PR from the event, and posts one comment and one check with
 * this workflow's write token. Shards that do not make one run post a failing check naming why.
 * Runs no PR code.
 */
import * as core from '@actions/core';
import { readFileSync, statSync } from 'node:fs';
import { sep } from 'node:path';
import { type ActionSettings } from '../config/action-settings.js';
import { ConfigError } from '../config/parse.js';
import type { RunReport } from '../model.js';
import { mergeFailureMarkdown, mergeShardReports, readShardReport, type ShardReport } from '../report/merge-runs.js';
import { githubClient } from '../github/client.js';
import type { GitHubContext, WorkflowRunInfo } from '../github/context.js';
import { findPullRequest } from '../github/find-pull-request.js';
import { publishNoVerdict, publishReport, type PublishTarget } from '../github/publish-report.js';
import { isShardReport, listReportFiles } from '../github/report-artifacts.js';
import { MAX_REPORT_BYTES, parseUntrustedReport, untrustedView } from '../github/untrusted-report.js';

function refuseOtherHead(sha: string, run: WorkflowRunInfo): never {
  throw new ConfigError(
    `the report's head ${sha.slice(0, 12)} is not the workflow run's head ${run.headSha.slice(0, 12)}: refusing to post it`,
  );
}

/** The one unsharded report at `path`, as today: size-capped, validated, for the run's head. */
function singleReport(path: string, run: WorkflowRunInfo): RunReport {
  const size = statSync(path).size;
  if (size > MAX_REPORT_BYTES) throw new ConfigError(`'report-path' ${path} is larger than ${MAX_REPORT_BYTES} bytes`);
  const report = parseUntrustedReport(readFileSync(path, 'utf8'));
  if (report.head.sha !== run.headSha) refuseOtherHead(String(report.head.sha), run);
  return report;
}

/** The shards' reports merged into one, or the problems that stop it (a missing shard, a foreign one). */
function mergedShards(
  paths: string[],
  folder: string,
  run: WorkflowRunInfo,
): { report: RunReport } | { problems: string[] } {
  const read = paths.map(readShardReport);
  const shards = read.filter((r): r is ShardReport => typeof r !== 'string');
  // Shards none of which is of the run's head are not this run's to post (as for one report).
  if (shards.length > 0 && !shards.some((s) => s.report.head.sha === run.headSha))
    refuseOtherHead(shards[0]?.report.head.sha ?? '', run);
  const merged = mergeShardReports(read);
  // Files are named relative to the downloaded folder: the runner's temporary path says nothing.
  if (merged.report === null) return { problems: merged.problems.map((p) => p.split(`${folder}${sep}`).join('')) };
  return { report: untrustedView(merged.report) };
}

/** Posts the artifact's report (or the shards' merged one); returns 0 (the gate's own jobs carry the exit code). */
export async function publishMode(s: ActionSettings, ctx: GitHubContext): Promise<number> {
  const run = ctx.workflowRun;
  if (run === null) throw new ConfigError(`'mode' is publish, but the event payload has no workflow_run`);
  if (s.githubToken === null)
    throw new ConfigError(
      `'github-token' is required in publish mode (it needs pull-requests: write and checks: write)`,
    );
  if (s.config.shard !== null)
    throw new ConfigError(`'shard' is for pr and history modes: publish mode merges every shard's report it is given`);
  const path = s.config.reportJson;
  const files = listReportFiles(path);
  const sharded = files.length > 1 || isShardReport(files[0] as string, MAX_REPORT_BYTES);
  const outcome = sharded ? mergedShards(files, path, run) : { report: singleReport(files[0] as string, run) };
  if (sharded) core.info(`benchgate: merging ${files.length} shard reports from ${path}`);
  const octokit = githubClient(s.githubToken, ctx.apiUrl);
  const prNumber = await findPullRequest(octokit, {
    owner: ctx.owner,
    repo: ctx.repo,
    headOwner: run.headOwner,
    headBranch: run.headBranch,
    headSha: run.headSha,
  });
  if (prNumber === null)
    core.warning(
      `benchgate: no open pull request has head ${run.headOwner}:${run.headBranch} at ${run.headSha.slice(0, 12)}; posting the check run only`,
    );
  const target: PublishTarget = {
    octokit,
    owner: ctx.owner,
    repo: ctx.repo,
    prNumber,
    headSha: run.headSha,
    reportUrl: `${ctx.serverUrl}/${ctx.owner}/${ctx.repo}/actions/runs/${run.id}`,
    comment: s.comment,
    checkRun: s.checkRun,
  };
  if ('problems' in outcome) {
    core.warning(`benchgate: the shards do not make one run; the check fails:\n  ${outcome.problems.join('\n  ')}`);
    const title = `benchgate: no verdict — ${outcome.problems[0] ?? 'the shards do not make one run'}`;
    await publishNoVerdict(mergeFailureMarkdown(outcome.problems), title, target, core.warning);
    return 0;
  }
  await publishReport(outcome.report, path, target, core.warning);
  return 0;
}

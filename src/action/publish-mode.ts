/**
 * Publish mode, for the fork-safe `workflow_run` workflow: reads the report the pull request's
 * run uploaded (untrusted: validated, and its head must be the run's head), finds the PR from the
 * event, and posts the comment and check with this workflow's write token. Runs no PR code.
 */
import * as core from '@actions/core';
import { readFileSync, statSync } from 'node:fs';
import { type ActionSettings } from '../config/action-settings.js';
import { ConfigError } from '../config/parse.js';
import { githubClient } from '../github/client.js';
import type { GitHubContext } from '../github/context.js';
import { findPullRequest } from '../github/find-pull-request.js';
import { publishReport } from '../github/publish-report.js';
import { MAX_REPORT_BYTES, parseUntrustedReport } from '../github/untrusted-report.js';

/** Posts the artifact's report; returns 0 (the gate's own job carries the exit code). */
export async function publishMode(s: ActionSettings, ctx: GitHubContext): Promise<number> {
  const run = ctx.workflowRun;
  if (run === null) throw new ConfigError(`'mode' is publish, but the event payload has no workflow_run`);
  if (s.githubToken === null)
    throw new ConfigError(
      `'github-token' is required in publish mode (it needs pull-requests: write and checks: write)`,
    );
  const path = s.config.reportJson;
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new ConfigError(
      `'report-path' must name the downloaded report but ${path} does not exist (did the gate's run upload its artifact?)`,
    );
  }
  if (size > MAX_REPORT_BYTES) throw new ConfigError(`'report-path' ${path} is larger than ${MAX_REPORT_BYTES} bytes`);
  const report = parseUntrustedReport(readFileSync(path, 'utf8'));
  if (report.head.sha !== run.headSha) {
    throw new ConfigError(
      `the report's head ${String(report.head.sha).slice(0, 12)} is not the workflow run's head ${run.headSha.slice(0, 12)}: refusing to post it`,
    );
  }
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
  await publishReport(
    report,
    path,
    {
      octokit,
      owner: ctx.owner,
      repo: ctx.repo,
      prNumber,
      headSha: run.headSha,
      reportUrl: `${ctx.serverUrl}/${ctx.owner}/${ctx.repo}/actions/runs/${run.id}`,
      comment: s.comment,
      checkRun: s.checkRun,
    },
    core.warning,
  );
  return 0;
}

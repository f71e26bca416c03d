/**
 * Pull-request mode: the merge-base of base and head against the head, measured side by side
 * (compareRun, the CLI's `compare` pipeline), then comment, check, summary and outputs. A shard
 * (`shard: K/N`) measures its part and leaves the comment and check to the publish workflow.
 */
import * as core from '@actions/core';
import { type ActionSettings } from '../config/action-settings.js';
import { ConfigError } from '../config/parse.js';
import { compareRun } from '../pipeline/compare-run.js';
import { git } from '../git/git.js';
import { progressLine } from '../report/progress.js';
import { githubClient } from '../github/client.js';
import type { GitHubContext } from '../github/context.js';
import { publishReport } from '../github/publish-report.js';
import { baseGate } from './base-gate.js';
import { reportArtifactName, writeReports } from './write-reports.js';

/** Runs the gate on the event's pull request; returns the exit code. */
export async function prMode(s: ActionSettings, ctx: GitHubContext): Promise<number> {
  const pr = ctx.pullRequest;
  if (pr === null) throw new ConfigError(`'mode' is pr, but the event payload has no pull_request`);
  const base = git(s.workingDirectory, ['merge-base', pr.baseSha, pr.headSha]);
  if (base === null) {
    throw new ConfigError(
      `cannot find the merge-base of ${pr.baseSha.slice(0, 10)} and ${pr.headSha.slice(0, 10)}: check out with fetch-depth: 0 (actions/checkout)`,
    );
  }
  core.info(
    `benchgate: comparing merge-base ${base.slice(0, 10)} with head ${pr.headSha.slice(0, 10)} of #${pr.number}`,
  );
  const gate = baseGate(s, base);
  if (gate.changed.length > 0) {
    core.warning(
      `benchgate: this pull request changes the gate's settings (${gate.changed.join(', ')}); the merge-base's apply until it is merged`,
    );
  }
  const config = { ...gate.config, base, head: pr.headSha };
  const progress = progressLine();
  const report = await compareRun(
    config,
    s.workingDirectory,
    progress.update,
    (line) => core.info(`benchgate: ${line}`),
    { gateChanges: gate.changed },
  ).finally(progress.end);
  writeReports(config, report);
  core.setOutput('artifact-name', reportArtifactName(config.shard));
  // One shard's report is part of a verdict: the publish workflow merges the shards and posts once.
  const shard = config.shard;
  if (shard !== null && (s.comment !== 'never' || s.checkRun))
    core.info(
      `benchgate: shard ${shard.k}/${shard.n} posts no comment or check run; the publish workflow (mode: publish) merges the shards' reports and posts them`,
    );
  await publishReport(
    report,
    config.reportJson,
    {
      octokit: s.githubToken ? githubClient(s.githubToken, ctx.apiUrl) : null,
      owner: ctx.owner,
      repo: ctx.repo,
      prNumber: pr.number,
      headSha: pr.headSha,
      reportUrl: ctx.runUrl,
      comment: shard === null ? s.comment : 'never',
      checkRun: shard === null && s.checkRun,
    },
    core.warning,
  );
  return report.summary.regressed > 0 && s.failOnRegression ? 1 : 0;
}

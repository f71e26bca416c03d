/**
 * The workflow run the action is in: repository, URLs, event and its payload, read from the
 * runner's environment (GITHUB_*) and GITHUB_EVENT_PATH once, and checked.
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from '../config/parse.js';

/** The pull request a `pull_request` event is about. */
export interface PullRequestInfo {
  number: number;
  headSha: string;
  baseSha: string;
  /** True when the head lives in another repository (its token is read-only). */
  fromFork: boolean;
}

/** The run that a `workflow_run` event reports on (the fork-safe publishing workflow). */
export interface WorkflowRunInfo {
  id: number;
  event: string;
  headSha: string;
  headBranch: string;
  /** `owner` of the repository the head commit lives in (the fork's owner for fork PRs). */
  headOwner: string;
  conclusion: string | null;
}

/** What the action needs to know about where it runs. */
export interface GitHubContext {
  owner: string;
  repo: string;
  apiUrl: string;
  serverUrl: string;
  eventName: string;
  /** The commit the workflow runs on (GITHUB_SHA). */
  sha: string;
  /** Link to this workflow run, where its artifacts (the full report) are. */
  runUrl: string;
  pullRequest: PullRequestInfo | null;
  workflowRun: WorkflowRunInfo | null;
}

const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

function need(env: NodeJS.ProcessEnv, name: string): string {
  const v = env[name];
  if (v === undefined || v === '')
    throw new ConfigError(`${name} is not set: the action must run inside GitHub Actions`);
  return v;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null ? (v as Json) : {});

function sha(v: unknown, what: string): string {
  if (typeof v !== 'string' || !SHA.test(v))
    throw new ConfigError(`the event payload's ${what} is not a commit SHA: ${JSON.stringify(v)}`);
  return v;
}

/** Reads the context from `env` (default: this process's environment). */
export function githubContext(env: NodeJS.ProcessEnv = process.env): GitHubContext {
  const [owner, repo, ...extra] = need(env, 'GITHUB_REPOSITORY').split('/');
  if (!owner || !repo || extra.length > 0)
    throw new ConfigError(`GITHUB_REPOSITORY must be owner/name but got '${env.GITHUB_REPOSITORY}'`);
  const eventPath = need(env, 'GITHUB_EVENT_PATH');
  let event: Json;
  try {
    event = obj(JSON.parse(readFileSync(eventPath, 'utf8')));
  } catch (e) {
    throw new ConfigError(`cannot read the event payload GITHUB_EVENT_PATH=${eventPath}: ${(e as Error).message}`);
  }
  const serverUrl = (env.GITHUB_SERVER_URL ?? 'https://github.com').replace(/\/+$/, '');
  const eventName = need(env, 'GITHUB_EVENT_NAME');
  const pr = obj(event.pull_request);
  const run = obj(event.workflow_run);
  const pullRequest: PullRequestInfo | null =
    (eventName === 'pull_request' || eventName === 'pull_request_target') && typeof pr.number === 'number'
      ? {
          number: pr.number,
          headSha: sha(obj(pr.head).sha, 'pull_request.head.sha'),
          baseSha: sha(obj(pr.base).sha, 'pull_request.base.sha'),
          fromFork: obj(obj(pr.head).repo).full_name !== `${owner}/${repo}`,
        }
      : null;
  const workflowRun: WorkflowRunInfo | null =
    eventName === 'workflow_run' && typeof run.id === 'number'
      ? {
          id: run.id,
          event: String(run.event ?? ''),
          headSha: sha(run.head_sha, 'workflow_run.head_sha'),
          headBranch: String(run.head_branch ?? ''),
          headOwner: String(obj(obj(run.head_repository).owner).login ?? ''),
          conclusion: typeof run.conclusion === 'string' ? run.conclusion : null,
        }
      : null;
  return {
    owner,
    repo,
    apiUrl: (env.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/+$/, ''),
    serverUrl,
    eventName,
    sha: need(env, 'GITHUB_SHA'),
    runUrl: `${serverUrl}/${owner}/${repo}/actions/runs/${env.GITHUB_RUN_ID ?? ''}`,
    pullRequest,
    workflowRun,
  };
}

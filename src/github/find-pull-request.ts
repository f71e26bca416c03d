/**
 * The pull request a `workflow_run` reports on, found from the event (head owner, branch and
 * SHA), never from the artifact: a fork's run could name any PR in its artifact.
 */
import type { Octokit } from 'octokit';

/** The open PR whose head is `owner:branch` at exactly `headSha`, or null. */
export async function findPullRequest(
  octokit: Octokit,
  c: { owner: string; repo: string; headOwner: string; headBranch: string; headSha: string },
): Promise<number | null> {
  const prs = await octokit.paginate(octokit.rest.pulls.list, {
    owner: c.owner,
    repo: c.repo,
    state: 'open',
    head: `${c.headOwner}:${c.headBranch}`,
    per_page: 100,
  });
  return prs.find((p) => p.head.sha === c.headSha)?.number ?? null;
}

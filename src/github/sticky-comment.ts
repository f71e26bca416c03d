/**
 * The one benchgate comment on a pull request: found again by its hidden marker among all the
 * PR's comments (every page), edited in place, never duplicated.
 */
import type { Octokit } from 'octokit';

/** Where and what to post. */
export interface StickyComment {
  owner: string;
  repo: string;
  issueNumber: number;
  /** The hidden marker the body starts with. */
  marker: string;
  body: string;
  /** `on-change`: create only when `changed`; an existing comment is always brought up to date. */
  policy: 'always' | 'on-change';
  changed: boolean;
}

/** What happened to the comment. */
export interface StickyResult {
  action: 'created' | 'updated' | 'skipped';
  id: number | null;
  url: string | null;
}

/** Finds the comment carrying `marker` (the oldest, if several), reading every page of comments. */
export async function findMarkedComment(
  octokit: Octokit,
  owner: string,
  repo: string,
  issueNumber: number,
  marker: string,
): Promise<{ id: number; html_url: string } | null> {
  for await (const page of octokit.paginate.iterator(octokit.rest.issues.listComments, {
    owner,
    repo,
    issue_number: issueNumber,
    per_page: 100,
  })) {
    const found = page.data.find((c) => typeof c.body === 'string' && c.body.includes(marker));
    if (found) return { id: found.id, html_url: found.html_url };
  }
  return null;
}

/** Creates or edits the marked comment. */
export async function upsertStickyComment(octokit: Octokit, c: StickyComment): Promise<StickyResult> {
  if (!c.body.includes(c.marker))
    throw new Error('the comment body must contain its marker, or it could not be found again');
  const existing = await findMarkedComment(octokit, c.owner, c.repo, c.issueNumber, c.marker);
  if (existing) {
    const { data } = await octokit.rest.issues.updateComment({
      owner: c.owner,
      repo: c.repo,
      comment_id: existing.id,
      body: c.body,
    });
    return { action: 'updated', id: data.id, url: data.html_url };
  }
  if (c.policy === 'on-change' && !c.changed) return { action: 'skipped', id: null, url: null };
  const { data } = await octokit.rest.issues.createComment({
    owner: c.owner,
    repo: c.repo,
    issue_number: c.issueNumber,
    body: c.body,
  });
  return { action: 'created', id: data.id, url: data.html_url };
}

/**
 * The one benchgate comment on a pull request: found again among all the PR's comments (every
 * page) as the one written by the token's own identity whose body starts with the hidden marker,
 * edited in place, never duplicated. Anyone can post the marker; only benchgate's comment counts.
 */
import { RequestError, type Octokit } from 'octokit';

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

/** The login of what Actions' GITHUB_TOKEN writes: the fallback when the token cannot say who it is. */
export const ACTIONS_BOT_LOGIN = 'github-actions[bot]';

/**
 * The login the token writes as. GraphQL `viewer` answers for every kind of token: a user's for a
 * personal access token, `<app>[bot]` for an app installation token and for Actions' GITHUB_TOKEN
 * (REST `GET /user` answers 403 for those). Should GraphQL be unavailable, the action's default
 * token is assumed; bad credentials still fail.
 */
export async function tokenLogin(octokit: Octokit): Promise<string> {
  try {
    const { viewer } = await octokit.graphql<{ viewer: { login: string } }>('query { viewer { login } }');
    return viewer.login;
  } catch (e) {
    if (e instanceof RequestError && e.status === 401) throw e;
    return ACTIONS_BOT_LOGIN;
  }
}

/** Whether a comment's author is `login` (a bot's login may be given with or without `[bot]`). */
function writtenBy(user: { login: string; type?: string } | null | undefined, login: string): boolean {
  if (!user) return false;
  return user.login === login || (user.type === 'Bot' && user.login === `${login}[bot]`);
}

/**
 * Finds the comment written by `login` whose body starts with `marker` (the oldest, if several),
 * reading every page of comments.
 */
export async function findMarkedComment(
  octokit: Octokit,
  owner: string,
  repo: string,
  issueNumber: number,
  marker: string,
  login: string,
): Promise<{ id: number; html_url: string } | null> {
  for await (const page of octokit.paginate.iterator(octokit.rest.issues.listComments, {
    owner,
    repo,
    issue_number: issueNumber,
    per_page: 100,
  })) {
    const found = page.data.find(
      (c) => typeof c.body === 'string' && c.body.startsWith(marker) && writtenBy(c.user, login),
    );
    if (found) return { id: found.id, html_url: found.html_url };
  }
  return null;
}

/** Creates or edits benchgate's own marked comment. */
export async function upsertStickyComment(octokit: Octokit, c: StickyComment): Promise<StickyResult> {
  if (!c.body.startsWith(c.marker))
    throw new Error('the comment body must start with its marker, or it could not be found again');
  const login = await tokenLogin(octokit);
  const existing = await findMarkedComment(octokit, c.owner, c.repo, c.issueNumber, c.marker, login);
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

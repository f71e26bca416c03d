/**
 * The sticky comment, the check run and the read-only-token path, over real HTTP: Octokit against
 * the local GitHub stand-in.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BenchmarkResult, RunReport } from '../../../src/model.js';
import { renderMarkdown } from '../../../src/report/markdown.js';
import { summarise } from '../../../src/report/summary.js';
import { githubClient } from '../../../src/github/client.js';
import { commentMarker, fittedMarkdown, GITHUB_BODY_LIMIT } from '../../../src/github/comment-body.js';
import { createCheckRun } from '../../../src/github/check-run.js';
import { unlessForbidden } from '../../../src/github/forbidden.js';
import { upsertStickyComment } from '../../../src/github/sticky-comment.js';
import { sampleRun } from '../../fixtures/store/sample-run.js';
import { ACTIONS_BOT, startStandIn, type StandIn } from './stand-in.js';

let gh: StandIn;
beforeEach(async () => {
  gh = await startStandIn();
});
afterEach(async () => gh.close());

/** A compare report with `n` benchmarks, the first `regressed` of them regressed by growing amounts. */
function bigReport(n: number, regressed: number, nameLength = 60): RunReport {
  const one = sampleRun('r-big', [1e-3, 1.1e-3]).benchmarks[0] as BenchmarkResult;
  const benchmarks = Array.from({ length: n }, (_, i): BenchmarkResult => {
    const name = `kernel${i % 7}/impl-${String(i).padStart(5, '0')}/${'f'.repeat(nameLength)}`;
    const isReg = i < regressed;
    return {
      ...(one as BenchmarkResult & { state: 'completed' }),
      name,
      measurements: [],
      verdict: {
        ...one.verdict!,
        kind: isReg ? 'regressed' : 'unchanged',
        changePct: isReg ? 5 + i : 0.1,
        ciLowPct: isReg ? 3 + i : -1,
        ciHighPct: isReg ? 7 + i : 1,
        reason: isReg ? 'slower in every round' : 'within noise',
      },
    };
  });
  return {
    ...sampleRun('r-big', [1e-3]),
    kind: 'compare',
    base: { sha: 'b'.repeat(40), ref: 'main', dirty: false, message: null, committedAt: null },
    benchmarks,
    summary: summarise(benchmarks),
  };
}

const target = { owner: 'acme', repo: 'widgets', issueNumber: 7 };

describe('sticky PR comment', () => {
  it('is created on the first run and edited in place on the second (one comment only)', async () => {
    const octokit = githubClient(gh.token, gh.url);
    const marker = commentMarker();
    const first = await upsertStickyComment(octokit, {
      ...target,
      marker,
      body: `${marker}\nfirst`,
      policy: 'always',
      changed: false,
    });
    expect(first.action).toBe('created');
    const second = await upsertStickyComment(octokit, {
      ...target,
      marker,
      body: `${marker}\nsecond`,
      policy: 'always',
      changed: false,
    });
    expect(second).toMatchObject({ action: 'updated', id: first.id });
    expect(gh.comments).toHaveLength(1);
    expect(gh.comments[0]?.body).toBe(`${marker}\nsecond`);
  });

  it('finds its marker on page 2 of a PR with more than 100 comments', async () => {
    const marker = commentMarker();
    for (let i = 0; i < 130; i++)
      gh.comments.push({
        id: i + 1,
        issue: 7,
        body: i === 117 ? `${marker}\nold report` : `chatter ${i}`,
        html_url: `u${i}`,
        user: i === 117 ? ACTIONS_BOT : { login: `reviewer${i % 3}`, type: 'User' },
      });
    const octokit = githubClient(gh.token, gh.url);
    const r = await upsertStickyComment(octokit, {
      ...target,
      marker,
      body: `${marker}\nnew report`,
      policy: 'always',
      changed: true,
    });
    expect(r).toMatchObject({ action: 'updated', id: 118 });
    expect(gh.comments).toHaveLength(130);
    expect(gh.comments[117]?.body).toContain('new report');
    const pages = gh.requests.filter((q) => q.method === 'GET' && q.path.includes('/issues/7/comments'));
    expect(pages.map((q) => new URL(q.path, gh.url).searchParams.get('page') ?? '1')).toEqual(['1', '2']);
  });

  it('ignores a comment by anyone else that carries the marker, and one of its own that only quotes it', async () => {
    const octokit = githubClient(gh.token, gh.url);
    const marker = commentMarker();
    const mallory = { login: 'mallory', type: 'User' as const };
    const planted = [
      { body: `${marker}\n# @octocat APPROVED ✅`, user: mallory }, // starts with the marker
      { body: `> ${marker}\nquoting the report`, user: mallory }, // contains it
      { body: `> ${marker}\nquoted by the bot itself`, user: ACTIONS_BOT }, // ours, but not a report
    ];
    planted.forEach((c, i) => gh.comments.push({ id: 50 + i, issue: 7, html_url: `u${i}`, ...c }));
    const first = await upsertStickyComment(octokit, {
      ...target,
      marker,
      body: `${marker}\nreport`,
      policy: 'always',
      changed: false,
    });
    expect(first.action).toBe('created');
    expect(gh.requests.filter((q) => q.method === 'PATCH')).toEqual([]);
    expect(gh.comments.slice(0, 3).map((c) => c.body)).toEqual(planted.map((c) => c.body));
    // The next run finds its own comment, not the older planted ones.
    const second = await upsertStickyComment(octokit, {
      ...target,
      marker,
      body: `${marker}\nreport 2`,
      policy: 'on-change',
      changed: false,
    });
    expect(second).toMatchObject({ action: 'updated', id: first.id });
    expect(gh.comments.map((c) => c.body)).toEqual([...planted.map((c) => c.body), `${marker}\nreport 2`]);
  });

  it("with a personal access token, its own comments are those of the token's user", async () => {
    gh.identity = { login: 'release-bot-user', type: 'User' };
    const marker = commentMarker();
    gh.comments.push(
      { id: 60, issue: 7, body: `${marker}\nby the actions bot`, html_url: 'a', user: ACTIONS_BOT },
      { id: 61, issue: 7, body: `${marker}\nold`, html_url: 'b', user: { ...gh.identity } },
    );
    const r = await upsertStickyComment(githubClient(gh.token, gh.url), {
      ...target,
      marker,
      body: `${marker}\nnew`,
      policy: 'always',
      changed: true,
    });
    expect(r).toMatchObject({ action: 'updated', id: 61 });
    expect(gh.comments.map((c) => c.body)).toEqual([`${marker}\nby the actions bot`, `${marker}\nnew`]);
  });

  it('on-change: no new comment when nothing changed, but an existing one is still brought up to date', async () => {
    const octokit = githubClient(gh.token, gh.url);
    const marker = commentMarker();
    expect(
      (
        await upsertStickyComment(octokit, {
          ...target,
          marker,
          body: `${marker}\nquiet`,
          policy: 'on-change',
          changed: false,
        })
      ).action,
    ).toBe('skipped');
    expect(gh.comments).toHaveLength(0);
    await upsertStickyComment(octokit, {
      ...target,
      marker,
      body: `${marker}\nregressed`,
      policy: 'on-change',
      changed: true,
    });
    expect(
      (
        await upsertStickyComment(octokit, {
          ...target,
          marker,
          body: `${marker}\nfixed`,
          policy: 'on-change',
          changed: false,
        })
      ).action,
    ).toBe('updated');
    expect(gh.comments.map((c) => c.body)).toEqual([`${marker}\nfixed`]);
  });

  it('cuts a report over 65,536 characters to fit, worst regressions first, with a note and a link', async () => {
    const report = bigReport(3000, 40);
    const marker = commentMarker();
    expect(renderMarkdown(report).length).toBeGreaterThan(GITHUB_BODY_LIMIT); // it really is too long
    const url = 'https://github.test/acme/widgets/actions/runs/42';
    const body = fittedMarkdown(report, { prefix: marker, reportUrl: url });
    expect(body.length).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
    expect(body.length).toBeGreaterThan(GITHUB_BODY_LIMIT * 0.9); // it uses the room it has
    expect(body.startsWith(marker)).toBe(true);
    expect(body).toContain('40 regressions found'); // the headline counts everything
    expect(body).toMatch(
      /cut to fit GitHub's 65,536-character limit: \d+ benchmarks shown \(worst regressions first\); the other \d+ \(\d+ unchanged\) are left out/,
    );
    expect(body).toContain(`(${url})`);
    // every regression is shown, the worst (largest change) first
    expect(body.indexOf('impl\\-00039')).toBeGreaterThan(-1);
    expect(body.indexOf('impl\\-00039')).toBeLessThan(body.indexOf('impl\\-00000'));
    // and GitHub (the stand-in enforces the limit) takes it
    const r = await upsertStickyComment(githubClient(gh.token, gh.url), {
      ...target,
      marker,
      body,
      policy: 'always',
      changed: true,
    });
    expect(r.action).toBe('created');
  });

  it('a 403 on a read-only (fork) token becomes a warning and no exception', async () => {
    gh.readOnly = true;
    const warnings: string[] = [];
    const octokit = githubClient(gh.token, gh.url);
    const marker = commentMarker();
    const r = await unlessForbidden(
      'post the pull-request comment',
      () => upsertStickyComment(octokit, { ...target, marker, body: `${marker}\nx`, policy: 'always', changed: true }),
      (m) => warnings.push(m),
    );
    expect(r).toBeNull();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/read-only \(403; a pull request from a fork/);
    // Other errors are not swallowed.
    gh.readOnly = false;
    await expect(
      unlessForbidden(
        'x',
        () =>
          githubClient('wrong-token', gh.url).rest.issues.listComments({
            owner: 'acme',
            repo: 'widgets',
            issue_number: 7,
          }),
        () => undefined,
      ),
    ).rejects.toMatchObject({ status: 401 });
  });
});

describe('check run benchgate', () => {
  it('concludes failure on a regression and success otherwise, with a short summary', async () => {
    const octokit = githubClient(gh.token, gh.url);
    const sha = 'c'.repeat(40);
    const failing = await createCheckRun(octokit, {
      owner: 'acme',
      repo: 'widgets',
      headSha: sha,
      report: bigReport(10, 2),
      reportUrl: 'https://x/runs/1',
    });
    const passing = await createCheckRun(octokit, {
      owner: 'acme',
      repo: 'widgets',
      headSha: sha,
      report: bigReport(10, 0),
      reportUrl: null,
    });
    expect([failing.conclusion, passing.conclusion]).toEqual(['failure', 'success']);
    expect(gh.checkRuns.map((c) => [c.name, c.head_sha, c.status, c.conclusion])).toEqual([
      ['benchgate', sha, 'completed', 'failure'],
      ['benchgate', sha, 'completed', 'success'],
    ]);
    expect(gh.checkRuns[0]?.output.title).toBe('benchgate: 2 regressions found');
    expect(gh.checkRuns[0]?.output.summary).toMatch(/^2 regressed · 0 improved · 8 unchanged/);
    expect(gh.checkRuns[0]?.output.summary).toContain('+6.0% [+4.0%, +8.0%]');
    expect(gh.checkRuns[1]?.output.title).toBe('benchgate: no regression');
  });

  it('a huge report still fits the check run text limit', async () => {
    await createCheckRun(githubClient(gh.token, gh.url), {
      owner: 'acme',
      repo: 'widgets',
      headSha: 'd'.repeat(40),
      report: bigReport(3000, 3),
      reportUrl: null,
    });
    expect(gh.checkRuns[0]?.output.text?.length).toBeLessThanOrEqual(65_535);
  });
});

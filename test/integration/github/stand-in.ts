/**
 * A local stand-in for the GitHub REST API: a real HTTP server on 127.0.0.1 implementing just the
 * endpoints benchgate calls (issue comments with Link pagination and authors, check runs, pull
 * requests, the token's identity through GraphQL `viewer` and REST `GET /user`), with GitHub's
 * length limits and its 403 for read-only tokens. Octokit is pointed at it through
 * GITHUB_API_URL / baseUrl; tests read its state and request log.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Who wrote something: GitHub's `user` object, cut to what benchgate reads. */
export interface Author {
  login: string;
  type: 'User' | 'Bot';
}

/** The author of what an Actions GITHUB_TOKEN writes. */
export const ACTIONS_BOT: Author = { login: 'github-actions[bot]', type: 'Bot' };

/** A stored comment. */
export interface StoredComment {
  id: number;
  issue: number;
  body: string;
  html_url: string;
  user: Author;
}

/** A stored check run. */
export interface StoredCheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string;
  output: { title: string; summary: string; text?: string };
}

/** What the stand-in was asked. */
export interface LoggedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
}

/** The stand-in's state; mutate it from tests to set the scene. */
export interface StandIn {
  url: string;
  token: string;
  /**
   * Who the token is: GitHub Actions' bot by default (an installation token, for which GET /user
   * answers 403 as GitHub does), or a user (a personal access token).
   */
  identity: Author;
  comments: StoredComment[];
  checkRuns: StoredCheckRun[];
  pulls: { number: number; state: string; head: { sha: string; ref: string; label: string } }[];
  /** When true every write answers 403 as GitHub does for a fork's read-only token. */
  readOnly: boolean;
  requests: LoggedRequest[];
  close(): Promise<void>;
}

const LIMIT = 65_536;

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

async function bodyOf(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>) : {};
}

/** Starts the stand-in for repository `owner/repo`, accepting `token`. */
export async function startStandIn(owner = 'acme', repo = 'widgets', token = 'ghs_standInToken123'): Promise<StandIn> {
  let nextId = 1000;
  const state: Omit<StandIn, 'url' | 'close'> = {
    token,
    identity: ACTIONS_BOT,
    comments: [],
    checkRuns: [],
    pulls: [],
    readOnly: false,
    requests: [],
  };
  const prefix = `/repos/${owner}/${repo}`;
  let base = '';
  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', base);
      const path = url.pathname;
      state.requests.push({
        method: req.method ?? '',
        path: `${path}${url.search}`,
        authorization: req.headers.authorization,
      });
      if (req.headers.authorization !== `token ${token}` && req.headers.authorization !== `Bearer ${token}`)
        return send(res, 401, { message: 'Bad credentials' });
      if (path === '/graphql' && req.method === 'POST') {
        const { query } = await bodyOf(req);
        if (typeof query !== 'string' || !/\bviewer\s*\{\s*login\s*\}/.test(query))
          return send(res, 200, { errors: [{ message: `the stand-in only answers viewer { login }` }] });
        return send(res, 200, { data: { viewer: { login: state.identity.login } } });
      }
      if (path === '/user' && req.method === 'GET')
        return state.identity.type === 'Bot'
          ? send(res, 403, { message: 'Resource not accessible by integration' })
          : send(res, 200, { ...state.identity });
      const write = req.method !== 'GET';
      if (write && state.readOnly)
        return send(res, 403, {
          message: 'Resource not accessible by integration',
          documentation_url: 'https://docs.github.com/rest',
        });
      let m: RegExpExecArray | null;
      if ((m = new RegExp(`^${prefix}/issues/(\\d+)/comments$`).exec(path))) {
        const issue = Number(m[1]);
        if (req.method === 'GET') {
          const perPage = Math.min(100, Number(url.searchParams.get('per_page') ?? 30));
          const page = Number(url.searchParams.get('page') ?? 1);
          const all = state.comments.filter((c) => c.issue === issue);
          const last = Math.max(1, Math.ceil(all.length / perPage));
          const link = (p: number) => `<${base}${path}?per_page=${perPage}&page=${p}>`;
          const headers: Record<string, string> = {};
          if (page < last) headers.link = `${link(page + 1)}; rel="next", ${link(last)}; rel="last"`;
          return send(res, 200, all.slice((page - 1) * perPage, page * perPage), headers);
        }
        const { body } = await bodyOf(req);
        if (typeof body !== 'string' || body.length > LIMIT)
          return send(res, 422, {
            message: 'Validation Failed',
            errors: [{ message: `body is too long (maximum is ${LIMIT} characters)` }],
          });
        const c: StoredComment = {
          id: nextId++,
          issue,
          body,
          html_url: `https://github.test/${owner}/${repo}/pull/${issue}#issuecomment-${nextId}`,
          user: { ...state.identity },
        };
        state.comments.push(c);
        return send(res, 201, c);
      }
      if ((m = new RegExp(`^${prefix}/issues/comments/(\\d+)$`).exec(path)) && req.method === 'PATCH') {
        const c = state.comments.find((x) => x.id === Number(m![1]));
        if (!c) return send(res, 404, { message: 'Not Found' });
        const { body } = await bodyOf(req);
        if (typeof body !== 'string' || body.length > LIMIT) return send(res, 422, { message: 'Validation Failed' });
        c.body = body;
        return send(res, 200, c);
      }
      if (path === `${prefix}/check-runs` && req.method === 'POST') {
        const b = (await bodyOf(req)) as unknown as StoredCheckRun;
        const o = b.output;
        if (!o || o.summary.length > 65_535 || (o.text ?? '').length > 65_535)
          return send(res, 422, { message: 'Validation Failed: output too long' });
        const run = { ...b, id: nextId++ };
        state.checkRuns.push(run);
        return send(res, 201, { ...run, html_url: `https://github.test/${owner}/${repo}/runs/${run.id}` });
      }
      if (path === `${prefix}/pulls` && req.method === 'GET') {
        const head = url.searchParams.get('head');
        const wanted = url.searchParams.get('state') ?? 'open';
        return send(
          res,
          200,
          state.pulls.filter((p) => p.state === wanted && (head === null || p.head.label === head)),
        );
      }
      send(res, 404, { message: `Not Found: the stand-in does not implement ${req.method} ${path}` });
    })().catch((e: unknown) => send(res, 500, { message: String(e) }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(state, {
    url: base,
    close: () => new Promise<void>((r) => server.close(() => r())),
  });
}

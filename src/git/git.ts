/**
 * git through execFile with argument arrays, never a shell string: `git` for quick reads that may
 * fail, `runGit` for the data branch. A token reaches git as an HTTP header through GIT_CONFIG_*
 * environment variables: not in argv, not on disk, and never in a message.
 */
import { execFile, execFileSync } from 'node:child_process';
import { childEnv } from '../child-env.js';
import { UserError } from '../errors.js';

/** A git command that failed: the message has the arguments and git's own words. */
export class GitError extends UserError {
  constructor(
    message: string,
    readonly stderr: string,
    /** git's exit code (null when it did not exit on its own). */
    readonly exitCode: number | null = null,
  ) {
    super(message);
  }
}

/** Runs git in `cwd` and returns its trimmed stdout, or null when it fails. */
export function git(cwd: string, args: string[]): string | null {
  try {
    return execFileSync('git', args, {
      cwd,
      env: childEnv(),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
  } catch {
    return null;
  }
}

/** How git runs: in `cwd`, authenticated with `token` when given. */
export interface GitOptions {
  cwd: string;
  token?: string | null;
}

/** The committer of data-branch commits (GitHub's own bot identity, as actions/checkout docs suggest). */
const IDENTITY = { name: 'github-actions[bot]', email: '41898282+github-actions[bot]@users.noreply.github.com' };

/**
 * The credential of the `Authorization: basic …` header git sends for `token`; the action masks
 * it in the log as well as the token, since git's tracing (GIT_TRACE_CURL) would print it.
 */
export function basicCredential(token: string): string {
  return Buffer.from(`x-access-token:${token}`).toString('base64');
}

function environment(token: string | null | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...childEnv(),
    GIT_TERMINAL_PROMPT: '0',
    GIT_AUTHOR_NAME: process.env.GIT_AUTHOR_NAME ?? IDENTITY.name,
    GIT_AUTHOR_EMAIL: process.env.GIT_AUTHOR_EMAIL ?? IDENTITY.email,
    GIT_COMMITTER_NAME: process.env.GIT_COMMITTER_NAME ?? IDENTITY.name,
    GIT_COMMITTER_EMAIL: process.env.GIT_COMMITTER_EMAIL ?? IDENTITY.email,
  };
  if (token) {
    env.GIT_CONFIG_COUNT = '1';
    env.GIT_CONFIG_KEY_0 = 'http.extraheader';
    env.GIT_CONFIG_VALUE_0 = `AUTHORIZATION: basic ${basicCredential(token)}`;
  }
  return env;
}

/** Runs `git ...args`; resolves with stdout, rejects with a GitError that never holds the token. */
export function runGit(args: string[], options: GitOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      { cwd: options.cwd, env: environment(options.token), maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (!error) return resolve(stdout.trim());
        const clean = (s: string) => (options.token ? s.replaceAll(options.token, '***') : s).trim();
        const exitCode = typeof error.code === 'number' ? error.code : null;
        reject(
          new GitError(
            `git ${args.join(' ')} failed: ${clean(stderr) || clean(error.message)}`,
            clean(stderr),
            exitCode,
          ),
        );
      },
    );
  });
}

/**
 * The two revisions of a comparison, resolved and built: the base (and the head, when it is a
 * commit) in cached git worktrees, or the working tree as the head.
 */
import { realpathSync } from 'node:fs';
import { relative } from 'node:path';
import { ConfigError } from '../config/parse.js';
import type { Config } from '../config/schema.js';
import { repositoryRoot, resolveCommit } from '../git/refs.js';
import { commitRevision, currentRevision } from '../git/revision.js';
import { prepareCommit, prepareWorkingTree, type PreparedRevision } from '../git/worktree.js';
import type { Revision } from '../model.js';

/** Both revisions of a comparison, ready to measure. */
export interface PreparedRevisions {
  repoRoot: string;
  /** Where benchgate was started, relative to the repository root. */
  within: string;
  baseBuilt: PreparedRevision;
  headBuilt: PreparedRevision;
  baseRevision: Revision;
  headRevision: Revision;
  /** Null when the head is the working tree. */
  headSha: string | null;
}

/** Fails before anything is built when `base` is missing or either ref does not resolve. */
export function resolveRevisions(
  config: Config,
  cwd: string,
): { repoRoot: string; baseSha: string; headSha: string | null } {
  if (config.base === null)
    throw new ConfigError(`'base' is required: name the revision to compare against, e.g. --base main`);
  const repoRoot = repositoryRoot(cwd);
  const baseSha = resolveCommit(repoRoot, config.base, 'base');
  const headSha = config.head === null ? null : resolveCommit(repoRoot, config.head, 'head');
  return { repoRoot, baseSha, headSha };
}

/** Checks out and builds the base and the head (the working tree unless `head` names a commit). */
export async function prepareRevisions(
  config: Config,
  cwd: string,
  resolved: { repoRoot: string; baseSha: string; headSha: string | null },
  onStatus: (line: string) => void,
): Promise<PreparedRevisions> {
  const { repoRoot, baseSha, headSha } = resolved;
  const base = config.base as string;
  const within = relative(repoRoot, realpathSync(cwd));
  const baseBuilt = await prepareCommit(
    repoRoot,
    baseSha,
    config.buildCommand,
    `base ${base} (${baseSha.slice(0, 10)})`,
    onStatus,
  );
  const headBuilt: PreparedRevision =
    headSha === null
      ? await prepareWorkingTree(repoRoot, config.buildCommand, onStatus)
      : await prepareCommit(
          repoRoot,
          headSha,
          config.buildCommand,
          `head ${config.head} (${headSha.slice(0, 10)})`,
          onStatus,
        );
  const headRevision: Revision =
    headSha === null ? currentRevision(repoRoot) : commitRevision(repoRoot, headSha, config.head as string);
  const baseRevision = commitRevision(repoRoot, baseSha, base);
  if (headRevision.dirty) onStatus('head is the working tree with uncommitted changes (reported as such)');
  return { repoRoot, within, baseBuilt, headBuilt, baseRevision, headRevision, headSha };
}

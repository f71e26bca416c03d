/**
 * A pull request must not set its own gate: the gating keys of `benchgate.config.json` (threshold,
 * alpha, filter, time budget, rounds, isolation, profile) are read from the merge-base, and a head
 * that changes them is named in the report; how to build and where the suite is still come from
 * the head's file.
 */
import { existsSync, realpathSync } from 'node:fs';
import { join, relative } from 'node:path';
import { resolveActionConfig, type ActionSettings } from '../config/action-settings.js';
import {
  DEFAULT_CONFIG_FILE,
  GATING_KEYS,
  configKeys,
  parseConfigText,
  readConfigFile,
  type Config,
} from '../config/schema.js';
import { git } from '../git/git.js';
import { repositoryRoot } from '../git/refs.js';

/** The config the gate runs with, and the gating keys whose value the head changes. */
export interface BaseGate {
  config: Config;
  changed: string[];
}

/** Resolves the action's config with the gating keys of the config file at commit `baseSha`. */
export function baseGate(s: ActionSettings, baseSha: string): BaseGate {
  const root = repositoryRoot(s.workingDirectory);
  const rel = relative(root, join(realpathSync(s.workingDirectory), DEFAULT_CONFIG_FILE))
    .split('\\')
    .join('/');
  const baseText = git(root, ['show', `${baseSha}:${rel}`]);
  const base = baseText === null ? {} : parseConfigText(baseText, `${rel} at the merge-base ${baseSha.slice(0, 10)}`);
  const headPath = join(s.workingDirectory, DEFAULT_CONFIG_FILE);
  const head = existsSync(headPath) ? readConfigFile(headPath) : {};
  const changed = GATING_KEYS.filter((key) => {
    const field = configKeys[key]?.field as keyof Config;
    return JSON.stringify(base[field]) !== JSON.stringify(head[field]);
  });
  return { config: resolveActionConfig(s.configFlags, s.workingDirectory, base), changed };
}

/**
 * The GitHub Action's entry (action.yml runs `node dist/src/action/main.js`): inputs → one
 * validated config → the same pipeline as the CLI → comment, check, summary, outputs, exit code
 * (0 ok, 1 regression with fail-on-regression, 2 bad input or setup, 3 internal).
 */
import * as core from '@actions/core';
import { dropCredentialVariables } from '../child-env.js';
import { resolveActionSettings } from '../config/action-settings.js';
import { failureOf } from '../errors.js';
import { githubContext } from '../github/context.js';
import { historyMode } from './history-mode.js';
import { readInputs } from './inputs.js';
import { resolveMode } from './mode.js';
import { prMode } from './pr-mode.js';
import { publishMode } from './publish-mode.js';

const modes = { pr: prMode, history: historyMode, publish: publishMode };

async function main(): Promise<number> {
  const settings = resolveActionSettings(readInputs(), process.env.GITHUB_WORKSPACE ?? process.cwd());
  const ctx = githubContext();
  // Read once above; from here on no build, suite or worker can find the tokens in the environment.
  dropCredentialVariables();
  return modes[resolveMode(settings.mode, ctx.eventName)](settings, ctx);
}

main().then(
  (code) => {
    if (code === 1) core.error('benchgate: regression found (fail-on-regression is true)');
    process.exitCode = code;
  },
  (e: unknown) => {
    const failure = failureOf(e);
    core.error(`benchgate: ${failure.message}`);
    process.exitCode = failure.code;
  },
);

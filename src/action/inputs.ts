/**
 * The action's raw inputs, read from the environment once. action.yml passes each input to the
 * entry as `INPUT_<NAME>` (upper case, `-` → `_`) through `env:`; a JavaScript-style
 * `INPUT_<NAME-WITH-DASHES>` is read too. Secrets are masked in the log before anything runs.
 */
import * as core from '@actions/core';
import { ACTION_INPUTS } from '../config/action-settings.js';

/** The inputs that were given, by input name (as written under `with:`). */
export function readInputs(env: NodeJS.ProcessEnv = process.env): Record<string, string | undefined> {
  const inputs: Record<string, string | undefined> = {};
  for (const name of ACTION_INPUTS) {
    const upper = name.toUpperCase();
    inputs[name] = env[`INPUT_${upper.replace(/-/g, '_')}`] ?? env[`INPUT_${upper}`];
  }
  for (const secret of ['github-token', 'service-token']) {
    const v = inputs[secret]?.trim();
    if (v) core.setSecret(v);
  }
  return inputs;
}

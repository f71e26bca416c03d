/** Which job the action does, from the `mode` input or (auto) from the event that started it. */
import { type ActionMode, type ActionSettings } from '../config/action-settings.js';
import { ConfigError } from '../config/parse.js';

const BY_EVENT: Record<string, ActionMode> = {
  pull_request: 'pr',
  push: 'history',
  workflow_dispatch: 'history',
  schedule: 'history',
  workflow_run: 'publish',
};

/** Resolves `auto`; a mode that does not fit the event fails naming `mode`. */
export function resolveMode(mode: ActionSettings['mode'], eventName: string): ActionMode {
  if (mode === 'auto') {
    const found = BY_EVENT[eventName];
    if (!found)
      throw new ConfigError(
        `'mode' is auto, but the event '${eventName}' is none of ${Object.keys(BY_EVENT).join(', ')}: set mode to pr, history or publish`,
      );
    return found;
  }
  if (mode === 'pr' && eventName !== 'pull_request')
    throw new ConfigError(`'mode' is pr, which needs a pull_request event, but the event is '${eventName}'`);
  if (mode === 'publish' && eventName !== 'workflow_run')
    throw new ConfigError(`'mode' is publish, which needs a workflow_run event, but the event is '${eventName}'`);
  return mode;
}

/** The service settings `serve` and `export` derive from the validated config. */
import type { Config } from '../config/schema.js';
import type { ServiceSettings } from './context.js';
import { DEFAULT_CHANGE_POINTS } from '../store/change-points.js';

/** Default request body limit: 32 MiB holds a 500-benchmark compare run of 40 rounds (about 10 MiB: 257 bytes of JSON per process measurement in a stored run). */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

/** Settings from config. */
export function serviceSettings(config: Config): ServiceSettings {
  return {
    branch: config.mainBranch,
    repositoryUrl: config.repositoryUrl,
    readToken: config.readToken,
    allowedHosts: config.allowedHosts,
    maxBodyBytes: MAX_BODY_BYTES,
    changePoints: { ...DEFAULT_CHANGE_POINTS, window: config.changePointWindow },
  };
}

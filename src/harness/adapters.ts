/** The adapter of each harness the config can name. */
import type { HarnessEntry, HarnessKind } from '../config/harnesses.js';
import type { HarnessAdapter } from './adapter.js';
import { commandAdapter } from './command.js';
import { criterionAdapter } from './criterion.js';
import { goAdapter } from './go.js';
import { googleBenchmarkAdapter } from './google-benchmark.js';
import { hyperfineAdapter } from './hyperfine.js';
import { jsonAdapter } from './json.js';
import { pytestBenchmarkAdapter } from './pytest-benchmark.js';
import { vitestAdapter } from './vitest.js';

const FIXED: Record<Exclude<HarnessKind, 'command'>, HarnessAdapter> = {
  'pytest-benchmark': pytestBenchmarkAdapter,
  'google-benchmark': googleBenchmarkAdapter,
  go: goAdapter,
  criterion: criterionAdapter,
  vitest: vitestAdapter,
  hyperfine: hyperfineAdapter,
  json: jsonAdapter,
};

/** The adapter that runs `entry`. */
export function adapterFor(entry: HarnessEntry): HarnessAdapter {
  if (entry.harness === 'command')
    return commandAdapter({
      name: entry.name as string,
      ...(entry.runs === null ? {} : { runs: entry.runs }),
      ...(entry.warmup === null ? {} : { warmup: entry.warmup }),
    });
  return FIXED[entry.harness];
}

/**
 * Finds the suite to measure: benchgate's own kernels by default, or a user's module (config
 * `suite`) whose default export is a `Suite`. Selects the cases of a profile through the filter.
 */
import type { Profile } from '../model.js';
import { nameGlob } from '../config/name-glob.js';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { caseName, type BenchmarkCase, type Suite } from './suite-types.js';
import { UserError } from '../errors.js';

/** The compiled built-in suite (dist/kernels/index.js). */
export const BUILTIN_SUITE = fileURLToPath(new URL('../../kernels/index.js', import.meta.url));

/** A suite module that cannot be used: says which file and what is wrong with it. */
export class SuiteError extends UserError {}

/**
 * Imports a suite module and checks its shape. `instance` (a URL query) imports a second,
 * separate instance of a module already loaded.
 */
export async function loadSuite(path: string | null, instance?: string): Promise<Suite> {
  const file = path ?? BUILTIN_SUITE;
  if (!existsSync(file))
    throw new SuiteError(`suite module ${file} does not exist${path === null ? ' (run npm run build)' : ''}`);
  const url = pathToFileURL(file);
  if (instance !== undefined) url.search = instance;
  const mod = (await import(url.href)) as { default?: unknown };
  const suite = mod.default as Partial<Suite> | undefined;
  if (
    typeof suite !== 'object' ||
    suite === null ||
    typeof suite.cases !== 'function' ||
    typeof suite.name !== 'string'
  ) {
    throw new SuiteError(`suite module ${file} must export default { name: string, cases(profile) }`);
  }
  return suite as Suite;
}

/** The cases of a profile whose names match the glob (comma-separated globs allowed), checked for duplicate names. */
export function selectCases(suite: Suite, profile: Profile, filter: string | null): BenchmarkCase[] {
  // A single `*` also crosses `/`, so `matmul/*` selects every matmul benchmark.
  const isMatch = filter === null ? () => true : nameGlob(filter.split(',').map((s) => s.trim()));
  const seen = new Set<string>();
  const selected: BenchmarkCase[] = [];
  for (const c of suite.cases(profile)) {
    const name = caseName(c);
    if (seen.has(name)) throw new SuiteError(`suite ${suite.name} lists benchmark ${JSON.stringify(name)} twice`);
    seen.add(name);
    if (isMatch(name)) selected.push(c);
  }
  if (selected.length === 0 && filter !== null)
    throw new SuiteError(`'filter' matched no benchmark of suite ${suite.name}: '${filter}'`);
  return selected;
}

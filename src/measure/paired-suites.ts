/**
 * The two revisions' suites side by side: where each revision's suite module is, which of their
 * benchmarks both have (same name and fixture checksum) and which only one has, and a compared
 * benchmark's result from both sides' measurements.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import type { BenchmarkResult, MeasureResult, Presence, ProcessMeasurement, Profile, Verdict } from '../model.js';
import { loadSuite, selectCases, SuiteError } from './suite.js';
import { caseName, type BenchmarkCase, type Suite } from './suite-types.js';
import { noVerdict, resultOf, summariseSide, type CaseIdentity } from './summarise.js';

/** One benchmark as the two revisions define it. */
export interface PairedCase {
  name: string;
  presence: Presence;
  /** The case of the side(s) that have it (head's when both). */
  case: CaseIdentity;
}

/** The suite module of a revision: `suite` relative to the revision root, else its built kernels. */
export function suitePathIn(revisionRoot: string, repoRoot: string, configured: string | null): string {
  if (configured === null) return join(revisionRoot, 'dist', 'kernels', 'index.js');
  const rel = relative(repoRoot, configured);
  return rel.startsWith('..') || isAbsolute(rel) ? configured : join(revisionRoot, rel);
}

/** Loads one revision's suite and its selected cases; a filter matching nothing on one side is no error. */
export async function revisionCases(
  path: string,
  what: string,
  o: { profile: Profile; filter: string | null; defaultSuite: boolean },
): Promise<{ suite: Suite; cases: BenchmarkCase[] }> {
  if (!existsSync(path)) {
    throw new SuiteError(
      `the suite module of ${what} does not exist: ${path}` +
        (o.defaultSuite
          ? ` (the default is the revision's built dist/kernels/index.js; set 'suite' to your suite module, relative to the repository root)`
          : ''),
    );
  }
  const suite = await loadSuite(path);
  try {
    return { suite, cases: selectCases(suite, o.profile, o.filter) };
  } catch (e) {
    // Everything may be added or removed on one side; only matching nothing on both is an error.
    if (e instanceof SuiteError && e.message.startsWith("'filter' matched no benchmark")) return { suite, cases: [] };
    throw e;
  }
}

/** Pairs the two sides' cases: same name and fixture checksum = compared, else added/removed. */
export function pairCases(base: BenchmarkCase[], head: BenchmarkCase[]): PairedCase[] {
  const key = (c: BenchmarkCase) => `${caseName(c)}\u0000${c.fixtureChecksum}`;
  const baseKeys = new Set(base.map(key));
  const headKeys = new Set(head.map(key));
  return [
    ...head.map((c): PairedCase => ({ name: caseName(c), presence: baseKeys.has(key(c)) ? 'both' : 'added', case: c })),
    ...base
      .filter((c) => !headKeys.has(key(c)))
      .map((c): PairedCase => ({ name: caseName(c), presence: 'removed', case: c })),
  ];
}

/**
 * A paired benchmark's result: the head's figures (the base's for `removed`), failed when either
 * side failed, and the verdict only for a benchmark both sides have and completed.
 */
export function pairedResult(
  entry: PairedCase,
  measurements: ProcessMeasurement[],
  verdict: Verdict | null,
  more: { measures?: MeasureResult[]; gated?: boolean } = {},
): BenchmarkResult {
  const { presence, case: c } = entry;
  if (presence !== 'both') {
    const figures = summariseSide(measurements, presence === 'added' ? 'head' : 'base', c.work);
    return resultOf(c, figures, { presence, baselineMedianSeconds: null, measurements, verdict: null, ...more });
  }
  const head = summariseSide(measurements, 'head', c.work);
  const base = summariseSide(measurements, 'base', c.work);
  const figures =
    head.state !== 'completed' || base.state === 'completed'
      ? head
      : { ...base, reason: `base revision: ${base.reason}` };
  return resultOf(c, figures, {
    presence,
    baselineMedianSeconds: base.medianSeconds,
    measurements,
    verdict: verdict ?? noVerdict('no paired rounds were measured'),
    ...more,
  });
}

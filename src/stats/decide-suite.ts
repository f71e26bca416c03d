/**
 * Verdicts for a whole suite: each benchmark's one-sided p-values are adjusted across the suite
 * (Holm by default, so the chance of any false "regressed" in a run is at most alpha), then each
 * benchmark is decided by {@link decidePaired} with its adjusted p-values.
 */
import type { Verdict } from '../model.js';
import { benjaminiHochberg } from './benjamini-hochberg.js';
import { decidePaired } from './decide-paired.js';
import { defaultThresholdPct } from './default-threshold-pct.js';
import { holm } from './holm.js';
import { DEFAULT_PAIRED_TEST, pairedPValues, type PairedTest } from './paired-p-values.js';

/** How p-values are corrected across the suite. */
export type Correction = 'holm' | 'bh' | 'none';

/** Options of {@link decideSuite}. */
export interface SuiteDecisionOptions {
  /** Family-wise false-alarm rate (or FDR with `bh`) per direction, default 0.01. */
  alpha?: number;
  /** Smallest change that matters in percent; default {@link defaultThresholdPct} of the data. */
  thresholdPct?: number;
  correction?: Correction;
  minRounds?: number;
  confidence?: number;
  test?: PairedTest;
  iterations?: number;
  seed?: number;
}

/** One verdict per benchmark, in the order of `dArrays` (each the d = ln(head/base) per round). */
export function decideSuite(dArrays: readonly (readonly number[])[], options: SuiteDecisionOptions = {}): Verdict[] {
  const alpha = options.alpha ?? 0.01;
  const correction = options.correction ?? 'holm';
  const minRounds = options.minRounds ?? 5;
  const test = options.test ?? DEFAULT_PAIRED_TEST;
  const thresholdPct = options.thresholdPct ?? defaultThresholdPct(dArrays);
  const thresholdSource = options.thresholdPct === undefined ? 'default-from-noise' : 'configured';

  // Benchmarks that cannot get a verdict (too few rounds, non-finite) stay out of the family.
  const eligible = dArrays.map((d) => d.length >= minRounds && d.every(Number.isFinite));
  const raw = dArrays.map((d, i) =>
    eligible[i] ? pairedPValues(d, test, { iterations: options.iterations, seed: options.seed }) : null,
  );
  const adjust =
    correction === 'holm' ? holm : correction === 'bh' ? benjaminiHochberg : (p: readonly number[]) => [...p];
  // Each direction is its own family: false "regressed" and false "improved" are each held at alpha.
  const greater = adjust(raw.map((r) => r?.greater ?? Number.NaN));
  const less = adjust(raw.map((r) => r?.less ?? Number.NaN));
  const familySize = eligible.filter(Boolean).length;

  return dArrays.map((d, i) => {
    const verdict = decidePaired(d, {
      thresholdPct,
      alpha,
      minRounds,
      confidence: options.confidence,
      test,
      iterations: options.iterations,
      seed: options.seed,
      adjustedPValues: eligible[i] ? { greater: greater[i] as number, less: less[i] as number } : undefined,
    });
    verdict.details = { ...verdict.details, correction, familySize, thresholdSource };
    return verdict;
  });
}

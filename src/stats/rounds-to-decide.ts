/**
 * About how many paired rounds in all an inconclusive benchmark needs before its verdict can be
 * something else, judged from the rounds it has: a forecast that lets a comparison spend its
 * budget on the benchmarks closest to deciding and tell a user what deciding the others would
 * take (docs/method/real-regressions.md).
 *
 * With s the robust SD of d = ln(head/base), e the Hodges–Lehmann estimate and T = ln(1 +
 * threshold): an estimate inside the threshold decides as unchanged once the 95% interval fits,
 * z·k·s/√n ≤ T − |e|; one beyond it decides as a change once it is significant at the benchmark's
 * level, z_level·k·s/√n ≤ |e|. k = 1.1 widens the normal interval to what compare's rank test and
 * interval give on heavy-tailed noise. A forecast only: the estimate and the noise move as rounds
 * come.
 */
import { medianAbsoluteDeviation } from 'simple-statistics';
import { MAD_TO_SD } from './default-threshold-pct.js';
import { hodgesLehmann } from './hodges-lehmann.js';
import { normalQuantile } from './normal-quantile.js';
import { roundsToReach } from './sequential-looks.js';

/** Options of {@link roundsToDecide}. */
export interface RoundsToDecideOptions {
  /** The smallest change that matters, in percent. */
  thresholdPct: number;
  /** One-sided level a change is tested at (a look's α over the family). */
  level: number;
  /** Confidence of the interval that must fit within the threshold (default 0.95). */
  confidence?: number;
}

/** Widening of the normal interval (see the file's comment). */
const K = 1.1;

/** Rounds in all (at least as many as `d` has); Infinity when the estimate sits on the threshold or nothing is known. */
export function roundsToDecide(d: readonly number[], o: RoundsToDecideOptions): number {
  const e = hodgesLehmann(d);
  if (e === null || d.length < 3) return Infinity;
  const s = MAD_TO_SD * medianAbsoluteDeviation(d as number[]);
  const t = Math.log1p(o.thresholdPct / 100);
  const margin = Math.abs(e) < t ? t - Math.abs(e) : Math.abs(e);
  const z = Math.abs(e) < t ? normalQuantile((1 + (o.confidence ?? 0.95)) / 2) : normalQuantile(1 - o.level);
  if (!(margin > 0)) return Infinity;
  const least = Math.abs(e) < t ? d.length : Math.max(d.length, roundsToReach(o.level));
  return Math.max(least, Math.ceil(((z * K * s) / margin) ** 2));
}

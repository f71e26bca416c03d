/**
 * The smallest slowdown a paired comparison would have caught, given the noise its rounds showed:
 * what an inconclusive verdict could not rule out, and why.
 *
 * The one-sided signed-rank test at `level` rejects when W⁺ ≥ c, and W⁺ is the number of positive
 * Walsh averages (dᵢ + dⱼ)/2, i ≤ j. Adding a shift δ to every d adds δ to every Walsh average, so
 * a sample rejects exactly when δ exceeds minus its c-th largest Walsh average. Drawing many
 * samples of the benchmark's own noise — its d centred on the Hodges–Lehmann estimate, resampled
 * with random signs (the null the test assumes), heavy tails and all — gives the shift each sample
 * needs; the `power` quantile of those is the change caught that often. No normal approximation:
 * at a suite-wide level and 17–30 rounds that one promised 90% where the real test caught 50–75%.
 */
import { hodgesLehmann } from './hodges-lehmann.js';
import { normalQuantile } from './normal-quantile.js';
import { signedRankDistribution } from './signed-rank-distribution.js';
import { sortedWalshAverages } from './walsh-averages.js';
import { seededRandom } from '../random.js';

/** Options of {@link detectableChangePct}. */
export interface DetectableChangeOptions {
  /** One-sided level the benchmark is tested at (a look's α over the family, e.g. α/m). */
  level: number;
  /** Probability of catching the change (default 0.9). */
  power?: number;
  /** Rounds of the comparison (default: as many as `d` has). */
  rounds?: number;
  /** The smallest change that matters, in percent: nothing below it is flagged (default 0). */
  thresholdPct?: number;
  /** Resampled comparisons (default 1000) and their seed (default 1). */
  trials?: number;
  seed?: number;
}

/** Exact signed-rank test up to this n (as src/stats/wilcoxon-signed-rank.ts), normal above. */
const EXACT_MAX_N = 50;

/** Smallest W⁺ whose one-sided p-value is below `level` among n rounds; Infinity when none is. */
export function signedRankCritical(n: number, level: number): number {
  if (n <= EXACT_MAX_N) {
    const pmf = signedRankDistribution(n);
    let tail = 0;
    for (let k = pmf.length - 1; k >= 0; k--) {
      if (tail + (pmf[k] as number) >= level) return k + 1 < pmf.length ? k + 1 : Number.POSITIVE_INFINITY;
      tail += pmf[k] as number;
    }
    return 0;
  }
  const mean = (n * (n + 1)) / 4;
  const sd = Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24);
  return Math.floor(mean + normalQuantile(1 - level) * sd) + 1;
}

/**
 * The slowdown in percent that `rounds` rounds with the noise of `d` catch with probability
 * `power` at `level`; Infinity when no result of that many rounds reaches `level`; null when `d`
 * has fewer than 3 rounds, too few to tell its noise.
 */
export function detectableChangePct(d: readonly number[], o: DetectableChangeOptions): number | null {
  const power = o.power ?? 0.9;
  const rounds = o.rounds ?? d.length;
  const trials = o.trials ?? 1000;
  if (!(o.level > 0 && o.level < 1)) throw new RangeError(`level must be in (0, 1), got ${o.level}`);
  if (!(power > 0 && power < 1)) throw new RangeError(`power must be in (0, 1), got ${power}`);
  if (!Number.isInteger(rounds) || rounds < 1) throw new RangeError(`rounds must be a positive integer, got ${rounds}`);
  if (!Number.isInteger(trials) || trials < 1) throw new RangeError(`trials must be a positive integer, got ${trials}`);
  const finite = d.filter(Number.isFinite);
  if (finite.length < 3) return null;
  const c = signedRankCritical(rounds, o.level);
  if (!Number.isFinite(c)) return Number.POSITIVE_INFINITY;
  const floor = o.thresholdPct ?? 0;
  const centre = hodgesLehmann(finite) as number;
  const noise = finite.map((x) => x - centre);
  if (noise.every((x) => x === 0)) return floor;
  const random = seededRandom(o.seed ?? 1);
  const walshCount = (rounds * (rounds + 1)) / 2;
  const needed = new Float64Array(trials);
  const sample = new Array<number>(rounds);
  for (let t = 0; t < trials; t++) {
    for (let i = 0; i < rounds; i++) {
      const x = noise[Math.floor(random() * noise.length)] as number;
      sample[i] = random() < 0.5 ? -x : x;
    }
    // Rejects once the c-th largest Walsh average, shifted by δ, is positive.
    needed[t] = -(sortedWalshAverages(sample)[walshCount - c] as number);
  }
  needed.sort();
  const shift = needed[Math.min(trials - 1, Math.ceil(power * trials) - 1)] as number;
  return Math.max(100 * Math.expm1(Math.max(0, shift)), floor);
}

/**
 * The smallest slowdown a paired comparison would have caught, given the noise its rounds showed:
 * what an inconclusive verdict could not rule out, and why.
 *
 * compare's test (./capped-signed-rank.ts) rejects when S⁺ ≥ c, and S⁺ only grows when every d is
 * shifted up (its scores never fall with the rank). Drawing many samples of the benchmark's own
 * noise — its d centred on the Hodges–Lehmann estimate, resampled with random signs (the null the
 * test assumes), heavy tails and all — and finding by bisection the shift each sample needs to be
 * rejected gives a distribution; its `power` quantile is the change caught that often. No normal
 * approximation: at a suite-wide level and a few tens of rounds it promised far more power than
 * the real test has (docs/method/compare.md).
 */
import { CAP_SHARE, cappedCritical, cappedScores } from './capped-signed-rank.js';
import { hodgesLehmann } from './hodges-lehmann.js';
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
  /** Share of the ranks over which the test's scores grow (default compare's; 1: Wilcoxon). */
  capShare?: number;
  /** Resampled comparisons (default 1000) and their seed (default 1). */
  trials?: number;
  seed?: number;
}

/** S⁺ of `v` with the given doubled scores in rank order (ties broken by position: resampling makes some). */
function statistic(v: readonly number[], scores: readonly number[]): number {
  const order = v.map((_, i) => i).sort((a, b) => Math.abs(v[a] as number) - Math.abs(v[b] as number));
  let s = 0;
  order.forEach((i, r) => {
    if ((v[i] as number) > 0) s += scores[r] as number;
  });
  return s;
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
  const capShare = o.capShare ?? CAP_SHARE;
  if (!(o.level > 0 && o.level < 1)) throw new RangeError(`level must be in (0, 1), got ${o.level}`);
  if (!(power > 0 && power < 1)) throw new RangeError(`power must be in (0, 1), got ${power}`);
  if (!Number.isInteger(rounds) || rounds < 1) throw new RangeError(`rounds must be a positive integer, got ${rounds}`);
  if (!Number.isInteger(trials) || trials < 1) throw new RangeError(`trials must be a positive integer, got ${trials}`);
  const finite = d.filter(Number.isFinite);
  if (finite.length < 3) return null;
  const c = cappedCritical(rounds, o.level, capShare);
  if (!Number.isFinite(c)) return Number.POSITIVE_INFINITY;
  const floor = o.thresholdPct ?? 0;
  const centre = hodgesLehmann(finite) as number;
  const noise = finite.map((x) => x - centre);
  if (noise.every((x) => x === 0)) return floor;
  const scores = cappedScores(rounds, capShare);
  const random = seededRandom(o.seed ?? 1);
  const needed = new Float64Array(trials);
  const sample = new Array<number>(rounds);
  const shifted = new Array<number>(rounds);
  const rejects = (delta: number) => {
    for (let i = 0; i < rounds; i++) shifted[i] = (sample[i] as number) + delta;
    return statistic(shifted, scores) >= c;
  };
  for (let t = 0; t < trials; t++) {
    let top = 0;
    for (let i = 0; i < rounds; i++) {
      const x = noise[Math.floor(random() * noise.length)] as number;
      sample[i] = random() < 0.5 ? -x : x;
      top = Math.max(top, Math.abs(x));
    }
    if (rejects(0)) continue; // needs no shift at all: needed[t] stays 0
    // Every d positive (shift beyond the largest |d|) gives the largest S⁺, which rejects.
    let lo = 0;
    let hi = 2 * top + 1e-12;
    for (let k = 0; k < 40; k++) {
      const mid = (lo + hi) / 2;
      if (rejects(mid)) hi = mid;
      else lo = mid;
    }
    needed[t] = hi;
  }
  needed.sort();
  const shift = needed[Math.min(trials - 1, Math.ceil(power * trials) - 1)] as number;
  return Math.max(100 * Math.expm1(shift), floor);
}

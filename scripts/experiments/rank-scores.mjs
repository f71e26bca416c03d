// Experiment for issue 4: the rounds that hold power back are heavy-tailed (a core within ±2–3%
// and 5–15% of rounds at ±10–30%), and the signed-rank test gives exactly those rounds the largest
// weights. Would other scores for the signed ranks do better? Score a(r) for the r-th smallest |d|;
// S = Σ a(rᵢ)·[dᵢ > 0] with its exact sign-flip null distribution (integer scores, by convolution):
//   wilcoxon a(r) = r (compare's test) · sign a(r) = 1 · capped-c a(r) = min(r, ⌈c·n⌉)
//   · trimmed-c a(r) = r for r ≤ ⌈c·n⌉, else 0 (ranks by |d|: valid for any scores).
// Per benchmark of a stored A/A collection: the share of resampled comparisons of n rounds (its
// own noise, centred on the median, random signs) plus a 3% slowdown that each test flags at
// the level of compare's last look for the suite (α·3/8 over the benchmarks).
//   node scripts/experiments/rank-scores.mjs DB [rounds=30] [trials=2000]
import { loadReplayData } from '../../dist/bench/detection/replay-data.js';
import { seededRandom } from '../../dist/src/random.js';

const [db, roundsArg = '30', trialsArg = '2000'] = process.argv.slice(2);
const n = Number(roundsArg);
const trials = Number(trialsArg);
const data = loadReplayData(db, null);
const level = (0.01 * 3) / 8 / data.names.length;
const shift = Math.log(1.03);

const tests = {
  wilcoxon: (r) => r,
  sign: () => 1,
  'capped-0.3': (r) => Math.min(r, Math.ceil(0.3 * n)),
  'capped-0.4': (r) => Math.min(r, Math.ceil(0.4 * n)),
  'capped-0.5': (r) => Math.min(r, Math.ceil(0.5 * n)),
  'capped-0.6': (r) => Math.min(r, Math.ceil(0.6 * n)),
  'capped-0.75': (r) => Math.min(r, Math.ceil(0.75 * n)),
  'capped-0.9': (r) => Math.min(r, Math.ceil(0.9 * n)),
  'trimmed-0.8': (r) => (r <= Math.ceil(0.8 * n) ? r : 0),
  'trimmed-0.9': (r) => (r <= Math.ceil(0.9 * n) ? r : 0),
};

/** Smallest S whose exact upper-tail probability is below `level`, for these scores. */
function critical(scores) {
  const max = scores.reduce((a, b) => a + b, 0);
  let pmf = new Float64Array(max + 1);
  pmf[0] = 1;
  for (const a of scores) {
    const next = new Float64Array(max + 1);
    for (let k = 0; k <= max; k++) next[k] = 0.5 * (pmf[k] + (k >= a ? pmf[k - a] : 0));
    pmf = next;
  }
  let tail = 0;
  for (let k = max; k >= 0; k--) {
    if (tail + pmf[k] >= level) return k + 1;
    tail += pmf[k];
  }
  return 0;
}

const scoreList = Object.fromEntries(Object.entries(tests).map(([name, a]) => [name, Array.from({ length: n }, (_, i) => a(i + 1))]));
const crit = Object.fromEntries(Object.entries(scoreList).map(([name, s]) => [name, critical(s)]));
const total = Object.fromEntries(Object.keys(tests).map((k) => [k, 0]));
console.log(`${data.rounds} rounds × ${data.names.length} benchmarks from ${db}; ${n} rounds a comparison, level ${level.toExponential(2)}, ${trials} trials each`);
console.log(`${'benchmark'.padEnd(40)}${Object.keys(tests).map((k) => k.padStart(12)).join('')}`);
for (const [b, name] of data.names.entries()) {
  const d = data.head[b].map((h, r) => Math.log(h.median / data.base[b][r].median));
  const sorted = [...d].sort((x, y) => x - y);
  const centre = sorted[Math.floor(sorted.length / 2)];
  const noise = d.map((x) => x - centre);
  const random = seededRandom(b + 1);
  const hits = Object.fromEntries(Object.keys(tests).map((k) => [k, 0]));
  for (let t = 0; t < trials; t++) {
    const sample = Array.from({ length: n }, () => {
      const x = noise[Math.floor(random() * noise.length)];
      return (random() < 0.5 ? -x : x) + shift;
    });
    const order = sample.map((x, i) => [Math.abs(x), i]).sort((p, q) => p[0] - q[0]);
    for (const [k, scores] of Object.entries(scoreList)) {
      let s = 0;
      order.forEach(([, i], r) => {
        if (sample[i] > 0) s += scores[r];
      });
      if (s >= crit[k]) hits[k]++;
    }
  }
  for (const k of Object.keys(tests)) total[k] += hits[k] / trials;
  console.log(`${name.padEnd(40)}${Object.keys(tests).map((k) => `${((100 * hits[k]) / trials).toFixed(0)}%`.padStart(12)).join('')}`);
}
console.log(`${'mean power at 3%'.padEnd(40)}${Object.keys(tests).map((k) => `${((100 * total[k]) / data.names.length).toFixed(1)}%`.padStart(12)).join('')}`);

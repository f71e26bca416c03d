// Experiment for issue 4: how much α should the first look get? The loop compare runs
// (src/pipeline/sequential-driver.ts through bench/detection/ours.ts) replayed on a stored A/A
// collection with the first look's share of α set here: trials with a 3% slowdown on one random
// benchmark (power) and A/A trials (false alarms), the same trials for every share.
//   node scripts/experiments/look-split.mjs DB SHARE [trials=300]
// Environment: RUN=ID replays that collection of DB (default the newest), SKIP=K leaves out its
// first K rounds, MAX_ROUNDS=N sets the last look (default 30). With SHARE 0.25 (compare's) this
// replays compare's rule on any part of a stored collection.
// Measured 2026-11-22 under the capped signed-rank test, 300 + 300 trials, shares 0.15/0.25/0.4:
// power at 3% 80.7/80.7/80.3% (H), 78.3/79.0/78.7% (G), 87.3/87.3/87.0% (F); false alarms 0.0–1.3%.
import { loadReplayData } from '../../dist/bench/detection/replay-data.js';
import { drawTrial } from '../../dist/bench/detection/trial.js';
import { oursOnTrial } from '../../dist/bench/detection/ours.js';
import { lookSchedule } from '../../dist/src/stats/sequential-looks.js';
import { seededRandom } from '../../dist/src/random.js';
const [db, share, trials = '300'] = process.argv.slice(2);
const stored = loadReplayData(db, process.env.RUN ?? null);
const skip = Number(process.env.SKIP ?? 0);
const data = { ...stored, rounds: stored.rounds - skip, head: stored.head.map((r) => r.slice(skip)), base: stored.base.map((r) => r.slice(skip)) };
const looks = lookSchedule({ benchmarks: data.names.length, alpha: 0.01, minRounds: 6, maxRounds: Number(process.env.MAX_ROUNDS ?? 30), firstShare: Number(share) });
const plan = { looks, thresholdPct: null, minRounds: 6, timeBudget: 300, screening: true };
let random = seededRandom(1);
let caught = 0;
for (let t = 0; t < Number(trials); t++) {
  const trial = drawTrial(data, 3, random);
  if ((await oursOnTrial(data, trial, plan)).regressed[trial.target]) caught++;
}
random = seededRandom(2);
let fa = 0;
for (let t = 0; t < Number(trials); t++) {
  const trial = drawTrial(data, 0, random);
  if ((await oursOnTrial(data, trial, plan)).regressed.some(Boolean)) fa++;
}
console.log(db.split('/').pop(), 'share', share, 'looks', looks.map((l) => `${l.rounds}@${l.alpha.toPrecision(2)}`).join(','), 'power3', (caught / trials).toFixed(3), 'fa', (fa / trials).toFixed(3));

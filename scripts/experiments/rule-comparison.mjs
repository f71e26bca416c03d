// Experiment for issue 4: the previous decision rule against the current one on the SAME replayed
// trials of a stored A/A collection. Previous: looks spending α/2, α/4, α/4, no screenings. Current:
// α/4, 3α/8, 3α/8 with screenings between the looks (src/stats/sequential-looks.ts).
//   node scripts/experiments/rule-comparison.mjs [DB=baselines/detection.db] [run id] [A/A trials=1000] [trials per benchmark=20]
// Measured 2026-11-22 on five 48–60-round collections of this machine, power at 3% previous →
// current: 59.1 → 73.8%, 56.9 → 62.5%, 59.5 → 63.1%, 68.9 → 70.8%, 58.9 → 74.6%; false alarms
// 0.0–0.7% → 0.0–0.6%.
import { fileURLToPath } from 'node:url';
const dist = (p) => fileURLToPath(new URL(`../../dist/${p}`, import.meta.url));
const { loadReplayData } = await import(dist('bench/detection/replay-data.js'));
const { oursOnTrial } = await import(dist('bench/detection/ours.js'));
const { seededRandom, shuffleInPlace } = await import(dist('src/random.js'));
const { lookSchedule } = await import(dist('src/stats/sequential-looks.js'));
const [db = 'baselines/detection.db', run = '', aaArg = '1000', perArg = '20'] = process.argv.slice(2);
const data = loadReplayData(db, run || null);
const schedule = (firstShare) => lookSchedule({ benchmarks: data.names.length, alpha: 0.01, minRounds: 6, maxRounds: 30, firstShare });
const rules = {
  previous: { looks: schedule(0.5), screening: false },
  current: { looks: schedule(0.25), screening: true },
};
for (const [name, rule] of Object.entries(rules)) {
  const plan = { ...rule, thresholdPct: null, minRounds: 6, timeBudget: 300 };
  const random = seededRandom(11);
  const order = () => shuffleInPlace(Array.from({ length: data.rounds }, (_, k) => k), random);
  let alarms = 0;
  let seconds = 0;
  for (let i = 0; i < Number(aaArg); i++) {
    const o = await oursOnTrial(data, { order: order(), target: null, factor: 1 }, plan);
    if (o.regressed.some(Boolean)) alarms++;
    seconds += o.seconds;
  }
  const power = {};
  for (const s of [2, 3, 5]) {
    let hits = 0;
    for (let b = 0; b < data.names.length; b++) {
      for (let i = 0; i < Number(perArg); i++) if ((await oursOnTrial(data, { order: order(), target: b, factor: 1 + s / 100 }, plan)).regressed[b]) hits++;
    }
    power[`${s}%`] = `${((100 * hits) / (data.names.length * Number(perArg))).toFixed(1)}%`;
  }
  console.log(`${name.padEnd(8)} looks ${rule.looks.map((l) => l.rounds).join('/')}, screenings ${rule.screening ? 'on' : 'off'}: false alarms ${((100 * alarms) / Number(aaArg)).toFixed(1)}%, power ${JSON.stringify(power)}, ${(seconds / Number(aaArg)).toFixed(0)} s`);
}

/**
 * The rules users would otherwise use, applied to the same replayed trials. Each sees what it
 * would see in CI: one head process ("this run") against one earlier base process ("the
 * previous run") or against the base processes as a history of earlier runs.
 *
 * - github-action-benchmark: alert when this/previous > 200% (its default) or > 110%.
 * - conbench: z = (this − mean(history)) / sd(history) > 5.
 * - Bencher t-test: this > mean + t(0.99, n−1)·sd of the history (upper boundary 0.99).
 * - criterion: Welch t-test of this run's samples against the saved baseline's, p < 0.05, and the
 *   95% interval of the change in means wholly above the 1% noise threshold. Our stored process
 *   summaries stand in for the samples: mean, SD ≈ 1.4826·MAD, and the sample count.
 */
import { mean, standardDeviation } from 'simple-statistics';
import { studentTCdf } from '../../src/stats/student-t-cdf.js';
import { studentTQuantile } from '../../src/stats/student-t-quantile.js';
import type { ReplayData } from './replay-data.js';
import { baseValue, headValue, type Trial } from './trial.js';

/** Earlier runs a history-based anchor looks at. */
export const HISTORY_RUNS = 20;

/** A rule: which benchmarks it flags as slower in a trial. */
export interface AnchorRule {
  name: string;
  flags: (data: ReplayData, trial: Trial) => boolean[];
}

function ratioRule(name: string, limit: number): AnchorRule {
  return {
    name,
    flags: (data, t) =>
      data.names.map(
        (_, b) =>
          headValue(data, t, b, t.order[0] as number).median / baseValue(data, b, t.order[1] as number).median > limit,
      ),
  };
}

function historyOf(data: ReplayData, t: Trial, b: number): number[] {
  return t.order.slice(1, 1 + HISTORY_RUNS).map((r) => baseValue(data, b, r).median);
}

const conbench: AnchorRule = {
  name: 'conbench |z| > 5 vs history',
  flags: (data, t) =>
    data.names.map((_, b) => {
      const h = historyOf(data, t, b);
      const sd = standardDeviation(h);
      return sd > 0 && (headValue(data, t, b, t.order[0] as number).median - mean(h)) / sd > 5;
    }),
};

const bencher: AnchorRule = {
  name: 'Bencher t-test (upper 0.99) vs history',
  flags: (data, t) =>
    data.names.map((_, b) => {
      const h = historyOf(data, t, b);
      const sd = h.length > 1 ? standardDeviation(h) * Math.sqrt(h.length / (h.length - 1)) : 0;
      return (
        h.length > 1 &&
        headValue(data, t, b, t.order[0] as number).median > mean(h) + studentTQuantile(0.99, h.length - 1) * sd
      );
    }),
};

const criterion: AnchorRule = {
  name: 'criterion p < 0.05 and 1% noise',
  flags: (data, t) =>
    data.names.map((_, b) => {
      const now = headValue(data, t, b, t.order[0] as number);
      const before = baseValue(data, b, t.order[1] as number);
      const vn = (now.sd * now.sd) / Math.max(1, now.samples);
      const vb = (before.sd * before.sd) / Math.max(1, before.samples);
      const se = Math.sqrt(vn + vb);
      if (!(se > 0)) return now.mean / before.mean - 1 > 0.01;
      // Welch–Satterthwaite, rounded down (our t functions take whole degrees of freedom; down is conservative).
      const df = Math.max(
        1,
        Math.floor(
          (vn + vb) ** 2 / ((vn * vn) / Math.max(1, now.samples - 1) + (vb * vb) / Math.max(1, before.samples - 1)),
        ),
      );
      const tStat = (now.mean - before.mean) / se;
      const p = 2 * (1 - studentTCdf(Math.abs(tStat), df));
      const low = (now.mean - before.mean - studentTQuantile(0.975, df) * se) / before.mean;
      return p < 0.05 && low > 0.01;
    }),
};

/** The anchors, in the order the table lists them. */
export const anchorRules: AnchorRule[] = [
  ratioRule('github-action-benchmark 200%', 2),
  ratioRule('ratio to previous run 10%', 1.1),
  conbench,
  bencher,
  criterion,
];

/**
 * A verdict says when the machine ran at two speeds during its rounds: a side's per-process
 * medians fall in two clusters (src/stats/two-speeds.ts). Where both revisions were timed in one
 * process, block by block, each pair shared its speed and the note only explains the spread of
 * the levels; where each revision ran in processes of its own (harnesses, commands, `process`
 * isolation), a pair whose processes drew different speeds is an outlier round, which widens the
 * interval. Unchanged verdicts need no explanation and get none.
 */
import type { ProcessMeasurement, Side, Verdict } from '../model.js';
import { formatSeconds } from '../report/format.js';
import { twoSpeeds, type TwoSpeeds } from '../stats/two-speeds.js';

/** How the rounds paired the two revisions. */
export type Pairing = 'blocks' | 'processes';

const levels = (ms: readonly ProcessMeasurement[], side: Side) =>
  ms
    .filter((m) => m.side === side && m.state === 'completed' && m.medianSeconds !== null)
    .map((m) => m.medianSeconds as number);

const described = (t: TwoSpeeds) =>
  `${formatSeconds(t.low)} in ${t.nLow} processes, ${formatSeconds(t.high)} in ${t.nHigh}`;

/** The same verdict with `details.twoSpeeds` and a sentence more in its reason when either side ran at two speeds. */
export function withSpeedsNote(v: Verdict, measurements: readonly ProcessMeasurement[], pairing: Pairing): Verdict {
  if (v.kind === 'unchanged') return v;
  const base = twoSpeeds(levels(measurements, 'base'));
  const head = twoSpeeds(levels(measurements, 'head'));
  if (base === null && head === null) return v;
  const which = [base && `base ${described(base)}`, head && `head ${described(head)}`].filter(Boolean).join('; ');
  const consequence =
    pairing === 'blocks'
      ? 'both revisions were timed block by block in each process, so each pair shared its speed'
      : 'each revision ran in processes of its own, so a round whose two processes drew different speeds is an outlier that widens the interval';
  return {
    ...v,
    reason: `${v.reason} The machine ran at two speeds during these rounds (${which}); ${consequence}.`,
    details: { ...v.details, twoSpeeds: { base, head } },
  };
}

/**
 * Checks a posted roofline report (`benchgate roofline --json`) field by field; errors name the
 * field. v2 reports carry the roofs' and fractions' interquartile ranges, v1 reports do not.
 */
import type { Interquartile, RooflineSummary } from '../model.js';
import { array, invalid, nullableNumber, nullableString, number, object, oneOf, string } from './check.js';

/** A v2 interquartile range `[q1, q3]` when present and not null, else nothing (v1). */
function interquartile(v: unknown, p: string): { iqr?: Interquartile } {
  if (v === undefined || v === null) return {};
  const [q1, q3] = array(v, p, 2).map((x, i) => number(x, `${p}[${i}]`, 0));
  if (q1 === undefined || q3 === undefined || q1 > q3) invalid(p, 'a pair [q1, q3] with q1 ≤ q3', v);
  return { iqr: [q1, q3] };
}

function result(v: unknown, p: string): RooflineSummary['results'][number] {
  const o = object(v, p);
  const { iqr } = interquartile(o.fractionIqr, `${p}.fractionIqr`);
  return {
    kernel: string(o.kernel, `${p}.kernel`, 200),
    implementation: string(o.implementation, `${p}.implementation`, 200),
    fixture: string(o.fixture, `${p}.fixture`, 200),
    state: oneOf(o.state, `${p}.state`, ['completed', 'errored', 'skipped'] as const),
    reason: o.reason === undefined ? null : nullableString(o.reason, `${p}.reason`, 10_000),
    medianSeconds: nullableNumber(o.medianSeconds ?? null, `${p}.medianSeconds`, 0),
    gflops: nullableNumber(o.gflops ?? null, `${p}.gflops`, 0),
    gbps: nullableNumber(o.gbps ?? null, `${p}.gbps`, 0),
    fractionOfLimit: nullableNumber(o.fractionOfLimit ?? null, `${p}.fractionOfLimit`, 0),
    ...(iqr !== undefined && { fractionIqr: iqr }),
  };
}

/** Validates a roofline report (v1 or v2); returns it typed (extra fields, the rounds among them, dropped). */
export function validateRoofline(v: unknown): RooflineSummary {
  const o = object(v, 'roofline');
  const machine = object(o.machine, 'machine');
  const peak = interquartile(machine.fmaPeakIqr, 'machine.fmaPeakIqr').iqr;
  const bandwidth = interquartile(machine.bandwidthIqr, 'machine.bandwidthIqr').iqr;
  return {
    machine: {
      fmaPeakGflops: number(machine.fmaPeakGflops, 'machine.fmaPeakGflops', Number.MIN_VALUE),
      bandwidthGBs: number(machine.bandwidthGBs, 'machine.bandwidthGBs', Number.MIN_VALUE),
      ...(peak !== undefined && { fmaPeakIqr: peak }),
      ...(bandwidth !== undefined && { bandwidthIqr: bandwidth }),
    },
    results: array(o.results, 'results', 10_000).map((r, i) => result(r, `results[${i}]`)),
  };
}

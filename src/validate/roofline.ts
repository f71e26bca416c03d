/** Checks a posted roofline report (`benchgate roofline --json`) field by field; errors name the field. */
import type { RooflineSummary } from '../model.js';
import { array, nullableNumber, nullableString, number, object, oneOf, string } from './check.js';

function result(v: unknown, p: string): RooflineSummary['results'][number] {
  const o = object(v, p);
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
  };
}

/** Validates a roofline report; returns it typed (extra fields dropped). */
export function validateRoofline(v: unknown): RooflineSummary {
  const o = object(v, 'roofline');
  const machine = object(o.machine, 'machine');
  return {
    machine: {
      fmaPeakGflops: number(machine.fmaPeakGflops, 'machine.fmaPeakGflops', Number.MIN_VALUE),
      bandwidthGBs: number(machine.bandwidthGBs, 'machine.bandwidthGBs', Number.MIN_VALUE),
    },
    results: array(o.results, 'results', 10_000).map((r, i) => result(r, `results[${i}]`)),
  };
}

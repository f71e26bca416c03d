// Roofline reports as `benchgate roofline --json` wrote them, v1 (one roof figure each) and v2 (the
// roofs beside every benchmark in every round), validated down to what the service stores.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { RooflineReport } from '../../../src/model.js';
import { validateRoofline } from '../../../src/validate/roofline.js';

const load = (name: string): unknown =>
  JSON.parse(readFileSync(fileURLToPath(new URL(`../../fixtures/roofline/${name}`, import.meta.url)), 'utf8'));

describe('validateRoofline', () => {
  it('accepts a v1 report: one figure per roof, no spreads', () => {
    const v1 = load('v1-report.json') as { schema: string; results: unknown[] };
    expect(v1.schema).toBe('benchgate.roofline/v1');
    const s = validateRoofline(v1);
    expect(Object.keys(s.machine).sort()).toEqual(['bandwidthGBs', 'fmaPeakGflops']);
    expect(s.results).toHaveLength(v1.results.length);
    expect(s.results.every((r) => !('fractionIqr' in r))).toBe(true);
  });

  it('keeps the spreads of a v2 report and drops its rounds', () => {
    const v2 = load('v2-report.json') as RooflineReport;
    expect(v2.schema).toBe('benchgate.roofline/v2');
    const s = validateRoofline(v2);
    expect(s.machine).toEqual({
      fmaPeakGflops: v2.machine.fmaPeakGflops,
      bandwidthGBs: v2.machine.bandwidthGBs,
      fmaPeakIqr: v2.machine.fmaPeakIqr,
      bandwidthIqr: v2.machine.bandwidthIqr,
    });
    const completed = v2.results.filter((r) => r.fractionIqr !== null);
    expect(completed.length).toBeGreaterThan(0);
    for (const r of s.results) expect(r).not.toHaveProperty('rounds');
    expect(s.results.filter((r) => r.fractionIqr !== undefined).map((r) => r.fractionIqr)).toEqual(
      completed.map((r) => r.fractionIqr),
    );
  });

  it('names a spread that is not a pair q1 ≤ q3', () => {
    const v2 = load('v2-report.json') as RooflineReport;
    expect(() => validateRoofline({ ...v2, machine: { ...v2.machine, bandwidthIqr: [3] } })).toThrow(
      /^machine\.bandwidthIqr must be a pair \[q1, q3\] with q1 ≤ q3 but got \[3\]/,
    );
    expect(() => validateRoofline({ ...v2, machine: { ...v2.machine, fmaPeakIqr: [1, 'x'] } })).toThrow(
      /^machine\.fmaPeakIqr\[1\] must be a finite number/,
    );
  });
});

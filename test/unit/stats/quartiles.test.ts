import { describe, expect, it } from 'vitest';
import { quartiles } from '../../../src/stats/quartiles.js';
import { expectClose, loadCases } from './fixture.js';

const cases = loadCases<{ name: string; values: number[]; q1: number; median: number; q3: number }[]>('quartiles');

describe('quartiles', () => {
  it.each(cases)("match numpy.percentile(method='linear'): $name", ({ values, q1, median, q3 }) => {
    const q = quartiles(values);
    expectClose(q?.q1, q1, 1e-12);
    expectClose(q?.median, median, 1e-12);
    expectClose(q?.q3, q3, 1e-12);
  });

  it('leave NaN out, give null for nothing, and leave the input unsorted', () => {
    const values = [3, Number.NaN, 1, 2];
    expect(quartiles(values)).toEqual({ q1: 1.5, median: 2, q3: 2.5 });
    expect(values[0]).toBe(3);
    expect(quartiles([])).toBeNull();
    expect(quartiles([Number.NaN])).toBeNull();
  });
});

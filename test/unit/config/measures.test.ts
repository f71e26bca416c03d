/** The `measures` and `benchmarks` sections of benchgate.config.json. */
import { describe, expect, it } from 'vitest';
import { parseBenchmarkRules, parseMeasures, ruleFor, takes } from '../../../src/config/measures.js';
import { resolveConfig } from '../../../src/config/schema.js';
import { ConfigError } from '../../../src/config/parse.js';

describe('measures and benchmark rules', () => {
  const policy = {
    measures: parseMeasures({ time: { threshold: '2%' }, 'peak-memory': { gate: true, threshold: '5%' } }),
    benchmarks: parseBenchmarkRules({
      'select/*': { threshold: '5%' },
      'gridding/ts-objects/*': { ignore: true },
      'gridding/*/p40m': { measures: { 'peak-memory': { threshold: '10%' }, allocated: { gate: true } } },
    }),
  };

  it('judges a measure by its own rule, then by every glob that matches, later ones winning', () => {
    expect(ruleFor(policy, 'matmul/ts-naive/n64', 'time')).toMatchObject({
      gate: true,
      thresholdPct: 2,
      ignored: false,
    });
    expect(ruleFor(policy, 'select/ts-push/p1m', 'time')).toMatchObject({
      gate: true,
      thresholdPct: 5,
      ignored: false,
    });
    expect(ruleFor(policy, 'gridding/native-simd/p40m', 'peak-memory')).toMatchObject({
      gate: true,
      thresholdPct: 10,
      ignored: false,
    });
    expect(ruleFor(policy, 'gridding/native-simd/p40m', 'allocated')).toMatchObject({
      gate: true,
      thresholdPct: null,
      ignored: false,
    });
    expect(ruleFor(policy, 'matmul/ts-naive/n64', 'allocated')).toMatchObject({
      gate: false,
      thresholdPct: null,
      ignored: false,
    });
  });

  it('keeps an ignored benchmark out of the gate on every measure', () => {
    for (const m of ['time', 'peak-memory', 'allocated'] as const)
      expect(ruleFor(policy, 'gridding/ts-objects/p40m', m)).toMatchObject({ gate: false, ignored: true });
  });

  it('names the key of an unknown measure, a malformed glob or a bad value', () => {
    expect(() => parseMeasures({ 'peak-mem': { gate: true } })).toThrow(
      "unknown measure 'peak-mem' in 'measures' (known measures: time, peak-memory, allocated, allocations, instructions, throughput; a harness's own figures are named '<unit>/op', '<unit>/s' or 'counter:<name>')",
    );
    expect(() => parseBenchmarkRules({ 'select/[ab': { ignore: true } })).toThrow(
      "'benchmarks.select/[ab' has a malformed glob 'select/[ab'",
    );
    expect(() => parseBenchmarkRules({ 'select/*': { threshold: 'lots' } })).toThrow(
      "'benchmarks.select/*.threshold' must be a percentage like 2% but got 'lots'",
    );
    expect(() => parseBenchmarkRules({ 'select/*': { gate: true } })).toThrow(ConfigError);
    expect(() => parseMeasures({ time: { gate: 'yes' } })).toThrow(
      "'measures.time.gate' must be true or false but got 'yes'",
    );
  });

  it('reads both sections from the config file, and time gates by default while memory informs', () => {
    const config = resolveConfig({}, '/nonexistent-folder-for-defaults');
    expect(config.measures).toEqual({
      time: { gate: true, thresholdPct: null, take: true },
      'peak-memory': { gate: false, thresholdPct: null, take: true },
      allocated: { gate: false, thresholdPct: null, take: false },
      allocations: { gate: false, thresholdPct: null, take: true },
      instructions: { gate: false, thresholdPct: null, take: false },
      throughput: { gate: false, thresholdPct: null, take: true },
    });
    expect(config.benchmarkRules).toEqual([]);
    expect(takes({ measures: config.measures, benchmarks: [] }, 'allocated')).toBe(false);
    expect(takes({ measures: parseMeasures({ allocated: {} }), benchmarks: [] }, 'allocated')).toBe(true);
  });
});

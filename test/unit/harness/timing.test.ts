/**
 * The harnesses' own timing knobs, sized by benchgate to the time budget unless the command sets
 * them: how each adapter writes the knob, and how round 1's time sizes the later rounds'.
 */
import { describe, expect, it } from 'vitest';
import { criterionAdapter } from '../../../src/harness/criterion.js';
import { goAdapter } from '../../../src/harness/go.js';
import { googleBenchmarkAdapter } from '../../../src/harness/google-benchmark.js';
import { pytestBenchmarkAdapter } from '../../../src/harness/pytest-benchmark.js';
import { FIRST_ROUND_SECONDS, sizeTiming } from '../../../src/harness/rounds.js';
import type { HarnessAdapter } from '../../../src/harness/adapter.js';

const apply = (a: HarnessAdapter, command: string, seconds: number) => {
  const t = a.timing;
  if (t === undefined) throw new Error(`${a.harness} has no timing knob`);
  return t.setBy.test(command) ? command : t.apply(command, seconds);
};

describe('timing knobs', () => {
  it('adds each harness its own flag, in the place it reads it', () => {
    expect(apply(pytestBenchmarkAdapter, 'python3 -m pytest benchmarks -q', 0.25)).toBe(
      'python3 -m pytest benchmarks -q --benchmark-max-time=0.25',
    );
    expect(apply(goAdapter, 'go test -run ^$ -bench . ./...', 0.025)).toBe(
      'go test -run ^$ -bench . ./... -test.benchtime=0.025s',
    );
    expect(apply(googleBenchmarkAdapter, './build/bench', 0.1)).toBe('./build/bench --benchmark_min_time=0.1');
    // criterion's flags go after `--`, in whole seconds (criterion 0.3 takes nothing else).
    expect(apply(criterionAdapter, 'cargo bench --bench core', 0.3)).toBe(
      'cargo bench --bench core -- --warm-up-time 1 --measurement-time 1',
    );
    expect(apply(criterionAdapter, 'cargo bench --bench core -- --noplot', 2.6)).toBe(
      'cargo bench --bench core -- --noplot --warm-up-time 1 --measurement-time 3',
    );
  });

  it('leaves a knob the command sets alone', () => {
    for (const [a, command] of [
      [pytestBenchmarkAdapter, 'pytest --benchmark-max-time=2'],
      [goAdapter, 'go test -bench . -benchtime=100x ./...'],
      [goAdapter, 'go test -bench . ./... -test.benchtime 2s'],
      [googleBenchmarkAdapter, './bench --benchmark_min_time=1'],
      [criterionAdapter, 'cargo bench -- --measurement-time 10'],
    ] as const)
      expect(apply(a, command, 0.1)).toBe(command);
  });

  it('scales round 1’s short look to the budget of a round, within 20 ms and 1 s', () => {
    // Round 1 took 4 s at 0.1 s per benchmark; a round may take 12 s: three times as long.
    expect(sizeTiming(4, 12)).toBeCloseTo(3 * FIRST_ROUND_SECONDS, 12);
    expect(sizeTiming(40, 1)).toBe(0.02);
    expect(sizeTiming(0.5, 600)).toBe(1);
  });
});

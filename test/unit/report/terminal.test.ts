// The terminal table stays as narrow as its numbers: a long skip or error reason goes below the
// table as a numbered note, and benchmarks failing for the same reason share one note.
import { describe, expect, it } from 'vitest';
import type { BenchmarkResult, RunReport } from '../../../src/model.js';
import { renderTerminal } from '../../../src/report/terminal.js';
import { sampleRun } from '../../fixtures/store/sample-run.js';

const notBuilt =
  'the native addon benchgate_native.node is not available (tried /home/someone/project/node_modules/benchgate/native/build/Release/benchgate_native.node: not found; ' +
  '/home/someone/project/node_modules/benchgate/native/build/Debug/benchgate_native.node: not found). Build it with `npm run build:native` (needs a C++ compiler, make and python3); this CPU supports avx2.';
const noDevice = 'no CUDA device: no NVIDIA GPU or driver on this machine';

function failed(name: string, state: 'skipped' | 'errored', reason: string, from: BenchmarkResult): BenchmarkResult {
  return {
    ...from,
    name,
    state,
    reason,
    medianSeconds: null,
    spreadPct: null,
    gflops: null,
    gbps: null,
    measurements: [],
    verdict: null,
  };
}

function runWithFailures(kind: 'history' | 'compare'): RunReport {
  const run = sampleRun('r1', [0.01, 0.0101, 0.0099]);
  const ok = run.benchmarks[0]!;
  run.benchmarks.push(
    failed('matmul/native-simd/n128', 'skipped', notBuilt, ok),
    failed('matmul/cuda/n128', 'skipped', noDevice, ok),
    failed('matmul/cuda/n256', 'skipped', noDevice, ok),
    failed('matmul/native-scalar/n128', 'skipped', notBuilt, ok),
    failed('faults/boom/x', 'errored', 'boom in benchmark', ok),
  );
  return {
    ...run,
    kind,
    base: kind === 'compare' ? { ...run.head, sha: 'def456' } : null,
    summary: { ...run.summary, skipped: 4, errored: 1 },
  };
}

/** The table: from the header down to the blank line after the last row. */
function tableLines(text: string): string[] {
  const lines = text.split('\n');
  return lines.slice(0, lines.indexOf(''));
}

const columns = (line: string) => [...line].length;

describe('the terminal table', () => {
  it.each(['history', 'compare'] as const)('stays narrow when a %s run has long skip reasons', (kind) => {
    const text = renderTerminal(runWithFailures(kind));
    const widest = Math.max(...tableLines(text).map(columns));
    expect(widest).toBeLessThanOrEqual(100);
    expect(text).not.toMatch(/skipped: .*\n.*─/); // no reason inside the table
  });

  it('shows a short word with a note number in the cell, and the reason once below the table', () => {
    const text = renderTerminal(runWithFailures('history'));
    const table = tableLines(text);
    const row = (name: string) => table.find((l) => l.startsWith(name)) ?? '';
    // Failures come last, by name: faults/boom, cuda/n128, cuda/n256, native-scalar, native-simd.
    expect(row('faults/boom/x')).toMatch(/ errored¹$/);
    expect(row('matmul/cuda/n128')).toMatch(/ skipped²$/);
    expect(row('matmul/cuda/n256')).toMatch(/ skipped²$/);
    expect(row('matmul/native-scalar/n128')).toMatch(/ skipped³$/);
    expect(row('matmul/native-simd/n128')).toMatch(/ skipped³$/);
    expect(row('k/impl/fx')).toMatch(/ unchanged$/);
    const after = text.split('\n').slice(table.length);
    expect(after).toContain('¹ errored: boom in benchmark');
    expect(after).toContain(`² skipped: ${noDevice}`);
    expect(after).toContain(`³ skipped: ${notBuilt}`);
    expect(text.split(notBuilt)).toHaveLength(2); // said once, not once per row
  });

  it('numbers past nine with superscript digits', () => {
    const run = sampleRun('r1', [0.01]);
    const ok = run.benchmarks[0]!;
    run.benchmarks = Array.from({ length: 11 }, (_, i) =>
      failed(`k/i/f${String(i).padStart(2, '0')}`, 'skipped', `reason ${i}`, ok),
    );
    const text = renderTerminal(run);
    expect(text).toMatch(/k\/i\/f10 .* skipped¹¹$/m);
    expect(text).toContain('¹⁰ skipped: reason 9');
  });

  it('leaves a failure without a reason as the bare state, with no note', () => {
    const run = sampleRun('r1', [0.01]);
    run.benchmarks = [failed('k/i/f', 'skipped', '', run.benchmarks[0]!)];
    const text = renderTerminal(run);
    expect(text).toMatch(/k\/i\/f .* skipped$/m);
    expect(text).not.toMatch(/skipped[¹:]/);
  });
});

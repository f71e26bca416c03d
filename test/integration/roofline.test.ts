// `benchgate roofline` end to end: real probes beside real kernels in real worker processes, files written, JSON shape.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers.js';
import type { RooflineReport } from '../../src/model.js';

describe('benchgate roofline', () => {
  it('measures both roofs beside every benchmark in every round and writes Markdown, JSON and SVG', async () => {
    const cwd = tempDir();
    const r = await runCli(
      [
        'roofline',
        '--json',
        '--rounds',
        '2',
        '--time-budget',
        '2',
        '--filter',
        'select/*/p250k,matmul/cuda/n128',
        '--out',
        'out/roof',
      ],
      { cwd },
    );
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as RooflineReport;
    expect(report.schema).toBe('benchgate.roofline/v2');
    expect(report.machine.fmaPeakGflops).toBeGreaterThan(1);
    expect(report.machine.bandwidthGBs).toBeGreaterThan(0.5);
    // Four select rungs in two rounds each: eight processes measured the roofs beside their kernel.
    expect(report.machine.probes).toBe(8);
    const [lo, hi] = report.machine.bandwidthIqr!;
    expect(lo).toBeLessThanOrEqual(report.machine.bandwidthGBs!);
    expect(hi).toBeGreaterThanOrEqual(report.machine.bandwidthGBs!);
    expect(report.results.map((x) => `${x.kernel}/${x.implementation}`).sort()).toEqual(
      [
        'matmul/cuda',
        'select/cuda',
        'select/native-parallel',
        'select/native-simd',
        'select/ts-prealloc',
        'select/ts-push',
      ].sort(),
    );
    for (const row of report.results.filter((x) => x.kernel === 'select' && x.implementation !== 'cuda')) {
      expect(row.state, `${row.implementation}: ${row.reason}`).toBe('completed');
      expect(row.medianSeconds).toBeGreaterThan(0);
      expect(row.gbps).toBeGreaterThan(0);
      expect(row.fractionOfLimit).toBeGreaterThan(0);
      expect(row.extraMemoryBytes).not.toBeNull();
      expect(row.naiveImplementation).toBe('ts-push');
      // Each round keeps the kernel's median call, the roofs measured beside it and their ratio.
      expect(row.rounds.map((x) => x.round)).toEqual([1, 2]);
      const bytesPerCall = row.gbps! * 1e9 * row.medianSeconds!;
      for (const round of row.rounds) {
        expect(round.seconds).toBeGreaterThan(0);
        expect(round.fmaPeakGflops).toBeGreaterThan(1);
        expect(round.bandwidthGBs).toBeGreaterThan(0.5);
        // Memory-bound: this round's GB/s over the bandwidth measured beside it.
        expect(round.fraction! / (bytesPerCall / round.seconds! / 1e9 / round.bandwidthGBs!)).toBeCloseTo(1, 9);
      }
      expect(row.fractionIqr![0]).toBeLessThanOrEqual(row.fractionOfLimit!);
      expect(row.fractionIqr![1]).toBeGreaterThanOrEqual(row.fractionOfLimit!);
    }
    expect(report.results.find((x) => x.implementation === 'ts-push')?.speedupOverNaive).toBe(1);
    // No GPU here: the CUDA benchmark is skipped with the reason, not silently dropped.
    for (const cuda of report.results.filter((x) => x.implementation === 'cuda')) {
      if (cuda.state === 'skipped') expect(cuda.reason).toMatch(/CUDA/);
      else expect(cuda.state).toBe('completed');
    }
    expect(JSON.parse(readFileSync(join(cwd, 'out', 'roof.json'), 'utf8'))).toMatchObject({
      schema: 'benchgate.roofline/v2',
    });
    expect(readFileSync(join(cwd, 'out', 'roof.svg'), 'utf8')).toMatch(
      /^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/,
    );
    expect(existsSync(join(cwd, 'out', 'roof.md'))).toBe(true);
  });

  it('rejects a bad flag value with exit code 2, naming the key', async () => {
    const r = await runCli(['roofline', '--rounds', 'lots'], { cwd: tempDir() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/'rounds' must be an integer/);
  });
});

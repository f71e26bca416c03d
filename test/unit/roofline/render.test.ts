import { describe, expect, it } from 'vitest';
import type { RooflineReport } from '../../../src/model.js';
import { renderRooflineMarkdown, renderRooflineTerminal } from '../../../src/report/roofline-table.js';
import { renderRooflineSvg } from '../../../src/report/roofline-svg.js';
import { testbedFrom } from '../../../src/measure/testbed.js';

const evil = 'x<script>alert("1")</script>|&';

const report: RooflineReport = {
  schema: 'benchgate.roofline/v1',
  profile: 'quick',
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: '2026-01-01T00:01:00.000Z',
  testbed: testbedFrom({ cpuModel: 'Test CPU', cores: 2, simd: 'avx512', os: 'linux-x64', node: 'v20', gpu: null }),
  machine: { fmaPeakGflops: 250, bandwidthGBs: 21, simd: 'avx512', threads: 2, reason: null },
  results: [
    {
      kernel: evil,
      implementation: 'ts-naive',
      fixture: 'f\u001b[31m',
      state: 'completed',
      reason: null,
      medianSeconds: 0.01,
      gflops: 1,
      gbps: 4,
      arithmeticIntensity: 0.25,
      boundBy: 'memory',
      fractionOfLimit: 0.19,
      naiveImplementation: 'ts-naive',
      speedupOverNaive: 1,
      extraMemoryBytes: 2 ** 20,
    },
    {
      kernel: 'matmul',
      implementation: 'cuda',
      fixture: 'n128',
      state: 'skipped',
      reason: 'no CUDA device',
      medianSeconds: null,
      gflops: null,
      gbps: null,
      arithmeticIntensity: 42,
      boundBy: null,
      fractionOfLimit: null,
      naiveImplementation: 'ts-naive',
      speedupOverNaive: null,
      extraMemoryBytes: null,
    },
  ],
};

describe('roofline renderers', () => {
  it('escape names in the SVG and draw both roofs', () => {
    const svg = renderRooflineSvg(report);
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('x&lt;script&gt;alert(&quot;1&quot;)&lt;/script&gt;|&amp;');
    expect(svg).toMatch(/FMA peak 250 GFLOP\/s/);
    expect(svg).toMatch(/triad 21.0 GB\/s/);
    // One marker for the completed benchmark (none for the skipped one) and one legend entry per kernel.
    expect(svg.match(/<circle /g)?.length).toBe(3);
  });

  it('escape names in Markdown and show skipped rows with their reason', () => {
    const md = renderRooflineMarkdown(report);
    expect(md).not.toContain('<script>');
    expect(md).toContain('x&lt;script&gt;alert("1")&lt;/script&gt;\\|&amp;');
    expect(md).toMatch(/\| matmul \| cuda \| n128 \| skipped: no CUDA device \|/);
    expect(md).toMatch(/19%/);
  });

  it('keep control characters out of the terminal view', () => {
    const text = renderRooflineTerminal(report);
    expect(text).not.toContain('\u001b');
    expect(text).toMatch(/matmul\/cuda\/n128: skipped: no CUDA device/);
  });
});

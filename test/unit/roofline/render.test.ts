import { describe, expect, it } from 'vitest';
import type { RooflineReport } from '../../../src/model.js';
import { renderRooflineMarkdown, renderRooflineTerminal } from '../../../src/report/roofline-table.js';
import { renderRooflineSvg } from '../../../src/report/roofline-svg.js';
import { escapeMarkdown } from '../../../src/report/markdown.js';
import { testbedFrom } from '../../../src/measure/testbed.js';

const evil = 'x<script>alert("1")</script>|&';

const report: RooflineReport = {
  schema: 'benchgate.roofline/v2',
  profile: 'quick',
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: '2026-01-01T00:01:00.000Z',
  testbed: testbedFrom({ cpuModel: 'Test CPU', cores: 2, simd: 'avx512', os: 'linux-x64', node: 'v20', gpu: null }),
  machine: {
    fmaPeakGflops: 250,
    fmaPeakIqr: [240, 255],
    bandwidthGBs: 21,
    bandwidthIqr: [19.5, 22],
    probes: 14,
    simd: 'avx512',
    threads: 2,
    reason: null,
  },
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
      fractionIqr: [0.17, 0.22],
      rounds: [
        { round: 1, seconds: 0.01, fmaPeakGflops: 250, bandwidthGBs: 21, fraction: 0.19 },
        { round: 2, seconds: 0.012, fmaPeakGflops: 240, bandwidthGBs: 16, fraction: 0.2 },
      ],
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
      fractionIqr: null,
      rounds: [{ round: 1, seconds: null, fmaPeakGflops: null, bandwidthGBs: null, fraction: null }],
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

  it("draw the roofs as a band of their interquartile ranges, and each point's fraction interval", () => {
    const svg = renderRooflineSvg(report);
    // Three corners along the upper roofline and three back along the lower one.
    const band = /<polygon class="roof-band"[^>]* points="([^"]+)"/.exec(svg);
    expect(band?.[1]?.split(' ')).toHaveLength(6);
    expect(svg).toMatch(/interquartile range over 14 processes: FMA 240–255 GFLOP\/s, triad 19.5–22.0 GB\/s/);
    // The bar spans 0.17/0.19 to 0.22/0.19 of the point's 1 GFLOP/s, vertically through it.
    const bar = /<line class="fraction-iqr" x1="([\d.]+)" y1="([\d.]+)" x2="([\d.]+)" y2="([\d.]+)"/.exec(svg);
    const dot = /<circle cx="([\d.]+)" cy="([\d.]+)" r="4"/.exec(svg);
    expect(bar?.[1]).toBe(dot?.[1]);
    expect(Number(bar?.[2])).toBeGreaterThan(Number(dot?.[2]));
    expect(Number(bar?.[4])).toBeLessThan(Number(dot?.[2]));
    expect(svg).toContain('19% of roof (IQR 17–22%)');
  });

  it('draw no band where the roofs have no spread to show', () => {
    const svg = renderRooflineSvg({ ...report, machine: { ...report.machine, fmaPeakIqr: null, bandwidthIqr: null } });
    expect(svg).not.toContain('roof-band');
  });

  it('escape names in Markdown and show skipped rows with their reason', () => {
    const md = renderRooflineMarkdown(report);
    expect(md).not.toContain('<script>');
    expect(md).toContain(`| ${escapeMarkdown(evil)} |`);
    expect(md).toMatch(/\| matmul \| cuda \| n128 \| skipped: no CUDA device \|/);
    expect(md).toContain(`| memory | ${escapeMarkdown('19% (17–22)')} |`);
    expect(md).toContain(escapeMarkdown('FMA peak 250 (IQR 240–255) GFLOP/s'));
    expect(md).toContain(escapeMarkdown('STREAM triad 21.0 (IQR 19.5–22.0) GB/s'));
  });

  it('keep control characters out of the terminal view', () => {
    const text = renderRooflineTerminal(report);
    expect(text).not.toContain('\u001b');
    expect(text).toMatch(/matmul\/cuda\/n128: skipped: no CUDA device/);
  });
});

/**
 * The roofline chart as a self-contained SVG: log-log arithmetic intensity (flop/byte) against
 * GFLOP/s, the measured memory roof (slope = triad bandwidth) meeting the measured FMA roof at the
 * ridge, drawn at the roofs' medians inside a band of their interquartile ranges, and one marker
 * per completed benchmark, coloured by kernel, with a bar spanning its fraction's interquartile
 * range over rounds (as the GFLOP/s it corresponds to). Every text is escaped.
 */
import type { RooflineReport } from '../model.js';

/** Escapes text for SVG/XML content and attribute values. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const W = 900;
const H = 560;
const M = { left: 70, right: 200, top: 40, bottom: 60 };
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf'];

const decade = (lo: number, hi: number) => {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) out.push(10 ** e);
  return out;
};

/** Renders the chart. */
export function renderRooflineSvg(report: RooflineReport): string {
  const { fmaPeakGflops: peak, bandwidthGBs: bw } = report.machine;
  const points = report.results.filter(
    (r) => r.state === 'completed' && r.arithmeticIntensity !== null && r.gflops !== null && r.gflops > 0,
  );
  const xs = points.map((p) => p.arithmeticIntensity as number);
  const ys = points.map((p) => p.gflops as number);
  const ridge = peak !== null && bw !== null ? peak / bw : null;
  const xLo = 10 ** Math.floor(Math.log10(Math.min(0.01, ...xs)));
  const xHi = 10 ** Math.ceil(Math.log10(Math.max(100, ridge ?? 1, ...xs) * 2));
  const yLo = 10 ** Math.floor(Math.log10(Math.min(0.1, ...ys)));
  const yHi = 10 ** Math.ceil(Math.log10(Math.max(10, peak ?? 1, report.machine.fmaPeakIqr?.[1] ?? 1, ...ys) * 1.5));
  const px = (x: number) =>
    M.left + ((Math.log10(x) - Math.log10(xLo)) / (Math.log10(xHi) - Math.log10(xLo))) * (W - M.left - M.right);
  const py = (y: number) =>
    H - M.bottom - ((Math.log10(y) - Math.log10(yLo)) / (Math.log10(yHi) - Math.log10(yLo))) * (H - M.top - M.bottom);
  const f = (n: number) => n.toFixed(1);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<title>${escapeXml(`benchgate roofline (${report.profile}) on ${report.testbed.cpuModel}`)}</title>`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
  ];
  for (const x of decade(xLo, xHi).filter((x) => x >= xLo && x <= xHi)) {
    out.push(`<line x1="${f(px(x))}" y1="${M.top}" x2="${f(px(x))}" y2="${H - M.bottom}" stroke="#eee"/>`);
    out.push(`<text x="${f(px(x))}" y="${H - M.bottom + 16}" text-anchor="middle">${escapeXml(String(x))}</text>`);
  }
  for (const y of decade(yLo, yHi).filter((y) => y >= yLo && y <= yHi)) {
    out.push(`<line x1="${M.left}" y1="${f(py(y))}" x2="${W - M.right}" y2="${f(py(y))}" stroke="#eee"/>`);
    out.push(`<text x="${M.left - 6}" y="${f(py(y) + 4)}" text-anchor="end">${escapeXml(String(y))}</text>`);
  }
  out.push(
    `<rect x="${M.left}" y="${M.top}" width="${W - M.left - M.right}" height="${H - M.top - M.bottom}" fill="none" stroke="#333"/>`,
  );
  out.push(
    `<text x="${(M.left + W - M.right) / 2}" y="${H - 18}" text-anchor="middle">arithmetic intensity (flop/byte)</text>`,
  );
  out.push(
    `<text transform="translate(18 ${(M.top + H - M.bottom) / 2}) rotate(-90)" text-anchor="middle">GFLOP/s (FP64)</text>`,
  );
  if (peak !== null && bw !== null && ridge !== null) {
    const x0 = Math.max(xLo, yLo / bw);
    const { fmaPeakIqr: peakIqr, bandwidthIqr: bwIqr } = report.machine;
    if (peakIqr !== null && bwIqr !== null) {
      // The band: the roofline at the upper quartiles, back along the roofline at the lower ones.
      const xs0 = Math.max(xLo, yLo / bwIqr[0]);
      const line = (p: number, b: number) => [
        [xs0, Math.min(p, xs0 * b)],
        [Math.max(xs0, p / b), p],
        [xHi, p],
      ];
      const band = [...line(peakIqr[1], bwIqr[1]), ...line(peakIqr[0], bwIqr[0]).reverse()];
      out.push(
        `<polygon class="roof-band" fill="#888" fill-opacity="0.35" stroke="none" points="${band.map(([x, y]) => `${f(px(x as number))},${f(py(y as number))}`).join(' ')}"><title>${escapeXml(`roofs' interquartile range over ${report.machine.probes} processes: FMA ${peakIqr[0].toPrecision(3)}–${peakIqr[1].toPrecision(3)} GFLOP/s, triad ${bwIqr[0].toPrecision(3)}–${bwIqr[1].toPrecision(3)} GB/s`)}</title></polygon>`,
      );
    }
    out.push(
      `<polyline fill="none" stroke="#000" stroke-width="2" points="${f(px(x0))},${f(py(x0 * bw))} ${f(px(ridge))},${f(py(peak))} ${f(px(xHi))},${f(py(peak))}"/>`,
    );
    out.push(
      `<text x="${f(px(ridge) + 6)}" y="${f(py(peak) - 6)}">${escapeXml(`FMA peak ${peak.toPrecision(3)} GFLOP/s`)}</text>`,
    );
    out.push(
      `<text x="${f(px(x0) + 6)}" y="${f(py(x0 * bw) - 8)}">${escapeXml(`triad ${bw.toPrecision(3)} GB/s`)}</text>`,
    );
  } else {
    out.push(
      `<text x="${M.left + 10}" y="${M.top + 20}">${escapeXml(`roofs not measured: ${report.machine.reason ?? 'unknown'}`)}</text>`,
    );
  }
  const kernels = [...new Set(report.results.map((r) => r.kernel))];
  const color = (k: string) => COLORS[kernels.indexOf(k) % COLORS.length] as string;
  for (const p of points) {
    const g = p.gflops as number;
    const x = p.arithmeticIntensity as number;
    const of =
      p.fractionOfLimit === null
        ? ''
        : `, ${(100 * p.fractionOfLimit).toFixed(0)}% of roof${p.fractionIqr === null ? '' : ` (IQR ${(100 * p.fractionIqr[0]).toFixed(0)}–${(100 * p.fractionIqr[1]).toFixed(0)}%)`}`;
    const label = `${p.kernel}/${p.implementation}/${p.fixture}: ${g.toPrecision(3)} GFLOP/s at ${x.toPrecision(3)} flop/byte${of}`;
    if (p.fractionIqr !== null && p.fractionOfLimit !== null && p.fractionOfLimit > 0) {
      const lo = Math.max(yLo, (g * p.fractionIqr[0]) / p.fractionOfLimit);
      const hi = Math.min(yHi, (g * p.fractionIqr[1]) / p.fractionOfLimit);
      out.push(
        `<line class="fraction-iqr" x1="${f(px(x))}" y1="${f(py(lo))}" x2="${f(px(x))}" y2="${f(py(hi))}" stroke="${color(p.kernel)}" stroke-width="2"/>`,
      );
    }
    out.push(
      `<circle cx="${f(px(p.arithmeticIntensity as number))}" cy="${f(py(p.gflops as number))}" r="4" fill="${color(p.kernel)}" fill-opacity="0.75"><title>${escapeXml(label)}</title></circle>`,
    );
  }
  kernels.forEach((k, i) => {
    const y = M.top + 10 + i * 18;
    out.push(`<circle cx="${W - M.right + 20}" cy="${y}" r="5" fill="${color(k)}"/>`);
    out.push(`<text x="${W - M.right + 30}" y="${y + 4}">${escapeXml(k)}</text>`);
  });
  const notes = ['line: median roofs', "band: roofs' IQR", "bar: fraction's IQR", 'over rounds'];
  notes.forEach((note, i) => {
    out.push(
      `<text x="${W - M.right + 14}" y="${M.top + 30 + (kernels.length + i) * 18}" fill="#555">${escapeXml(note)}</text>`,
    );
  });
  out.push('</svg>', '');
  return out.join('\n');
}

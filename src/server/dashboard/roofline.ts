/**
 * Roofline: the latest stored roofline report — each completed kernel's achieved GFLOP/s at its
 * arithmetic intensity (GFLOP/s ÷ GB/s) under the measured limits min(FMA peak, bandwidth ×
 * intensity), on log–log axes, with a table of every result (skipped and errored with reasons).
 * Where the report has them (v2), the roofs' interquartile ranges are a band around the roofline
 * and each fraction's interquartile range over rounds is a bar through its point and in the table.
 */
import type { Interquartile, RooflineSummary, StoredRoofline } from '../../model.js';
import { getJson } from './api.js';
import { el, show, svg } from './dom.js';
import { when } from './format.js';

function chart(r: StoredRoofline): SVGSVGElement {
  const { fmaPeakGflops: peak, bandwidthGBs: bw } = r.report.machine;
  const W = 760;
  const H = 420;
  const L = 60;
  const B = 40;
  const ai = [1 / 16, 1024];
  const gf = [Math.max(0.01, (bw * ai[0]!) / 4), peak * 2];
  const lx = (v: number) =>
    L + ((Math.log10(v) - Math.log10(ai[0]!)) / (Math.log10(ai[1]!) - Math.log10(ai[0]!))) * (W - L - 40);
  const ly = (v: number) =>
    H - B - ((Math.log10(v) - Math.log10(gf[0]!)) / (Math.log10(gf[1]!) - Math.log10(gf[0]!))) * (H - B - 10);
  const root = svg('svg', { class: 'roof', width: W, height: H, role: 'img', 'aria-label': 'roofline chart' });
  for (let e = Math.ceil(Math.log10(ai[0]!)); e <= Math.log10(ai[1]!); e++) {
    root.append(svg('line', { class: 'grid', x1: lx(10 ** e), x2: lx(10 ** e), y1: 10, y2: H - B }));
    root.append(svg('text', { x: lx(10 ** e), y: H - B + 14, 'text-anchor': 'middle' }, String(10 ** e)));
  }
  for (let e = Math.ceil(Math.log10(gf[0]!)); e <= Math.log10(gf[1]!); e++) {
    root.append(svg('line', { class: 'grid', x1: L, x2: W - 10, y1: ly(10 ** e), y2: ly(10 ** e) }));
    root.append(svg('text', { x: L - 6, y: ly(10 ** e) + 4, 'text-anchor': 'end' }, String(10 ** e)));
  }
  root.append(svg('text', { x: (W + L) / 2, y: H - 6, 'text-anchor': 'middle' }, 'arithmetic intensity (FLOP/byte)'));
  root.append(
    svg('text', { x: 14, y: H / 2, transform: `rotate(-90 14 ${H / 2})`, 'text-anchor': 'middle' }, 'GFLOP/s'),
  );
  const line = (p: number, b: number) => [ai[0]!, p / b, ai[1]!].map((a) => `${lx(a)},${ly(Math.min(p, b * a))}`);
  const { fmaPeakIqr: peakIqr, bandwidthIqr: bwIqr } = r.report.machine;
  if (peakIqr !== undefined && bwIqr !== undefined) {
    const band = [...line(peakIqr[1], bwIqr[1]), ...line(peakIqr[0], bwIqr[0]).reverse()];
    const polygon = svg('polygon', { class: 'roof-band', points: band.join(' ') });
    polygon.append(
      svg(
        'title',
        {},
        `roofs' interquartile range: FMA ${peakIqr[0].toFixed(0)}–${peakIqr[1].toFixed(0)} GFLOP/s, ${bwIqr[0].toFixed(1)}–${bwIqr[1].toFixed(1)} GB/s`,
      ),
    );
    root.append(polygon);
  }
  root.append(svg('polyline', { class: 'roofline', points: line(peak, bw).join(' ') }));
  root.append(
    svg('text', { x: lx(ai[1]!) - 4, y: ly(peak) - 6, 'text-anchor': 'end' }, `FMA peak ${peak.toFixed(0)} GFLOP/s`),
  );
  root.append(svg('text', { x: lx(ai[0]!) + 4, y: ly(bw * ai[0]!) - 8 }, `${bw.toFixed(1)} GB/s`));
  for (const x of r.report.results) {
    if (x.state !== 'completed' || !x.gflops || !x.gbps) continue;
    const cx = lx(Math.min(ai[1]!, Math.max(ai[0]!, x.gflops / x.gbps)));
    const f = x.fractionOfLimit;
    if (x.fractionIqr !== undefined && f !== null && f > 0) {
      // The fraction's interquartile range, as the GFLOP/s it corresponds to.
      const [lo, hi] = x.fractionIqr.map((q) => ly(Math.min(gf[1]!, Math.max(gf[0]!, (x.gflops! * q) / f))));
      root.append(svg('line', { class: 'roof-interval', x1: cx, x2: cx, y1: lo!, y2: hi! }));
    }
    const dot = svg('circle', { cx, cy: ly(Math.max(gf[0]!, x.gflops)), r: 5, class: 'roof-point' });
    dot.append(
      svg(
        'title',
        {},
        `${x.kernel}/${x.implementation}/${x.fixture}: ${x.gflops.toFixed(2)} GFLOP/s, ${x.gbps.toFixed(2)} GB/s${f === null ? '' : `, ${ofLimit(f, x.fractionIqr)} of limit`}`,
      ),
    );
    root.append(
      dot,
      svg(
        'text',
        { x: Number(dot.getAttribute('cx')) + 8, y: Number(dot.getAttribute('cy')) + 4 },
        `${x.kernel}/${x.implementation}`,
      ),
    );
  }
  return root;
}

/** A fraction in percent, with its interquartile range when known: `82.0% (80.1–84.0)`. */
function ofLimit(f: number, iqr: Interquartile | undefined): string {
  return `${(100 * f).toFixed(1)}%${iqr === undefined ? '' : ` (${(100 * iqr[0]).toFixed(1)}–${(100 * iqr[1]).toFixed(1)})`}`;
}

const barWidth = (f: number) => `${Math.min(100, Math.max(0, 100 * f))}%`;

function row(x: RooflineSummary['results'][number]): HTMLElement {
  const bar = el('div', { class: 'bar' }, [el('div')]);
  (bar.firstChild as HTMLElement).style.width = barWidth(x.fractionOfLimit ?? 0);
  if (x.fractionIqr !== undefined) {
    const span = el('span', { class: 'bar-iqr' });
    span.style.left = barWidth(x.fractionIqr[0]);
    span.style.width = `calc(${barWidth(x.fractionIqr[1])} - ${barWidth(x.fractionIqr[0])})`;
    bar.append(span);
  }
  return el('tr', {}, [
    el('td', { text: `${x.kernel}/${x.implementation}/${x.fixture}` }),
    el('td', { text: x.state === 'completed' ? 'completed' : `${x.state}: ${x.reason ?? ''}` }),
    el('td', { class: 'num', text: x.gflops === null ? '—' : x.gflops.toFixed(2) }),
    el('td', { class: 'num', text: x.gbps === null ? '—' : x.gbps.toFixed(2) }),
    el('td', { class: 'num', text: x.fractionOfLimit === null ? '—' : ofLimit(x.fractionOfLimit, x.fractionIqr) }),
    el('td', {}, [bar]),
  ]);
}

/** Renders project `pid`'s latest roofline report, or says that none is stored. */
export async function rooflineView(pid: string): Promise<void> {
  const r = await getJson<StoredRoofline | null>(`projects/${pid}/roofline`);
  if (r === null) {
    show(
      el('h1', { text: 'Roofline' }),
      el('p', {
        class: 'muted',
        id: 'no-roofline',
        text: 'No roofline report is stored for this project yet. Post one to POST /api/v1/roofline (with an API token).',
      }),
    );
    return;
  }
  const sorted = [...r.report.results].sort((a, b) => (b.fractionOfLimit ?? -1) - (a.fractionOfLimit ?? -1));
  const m = r.report.machine;
  const range = (iqr: Interquartile | undefined, digits: number) =>
    iqr === undefined ? '' : ` (IQR ${iqr[0].toFixed(digits)}–${iqr[1].toFixed(digits)})`;
  show(
    el('h1', { text: 'Roofline' }),
    el('p', {
      class: 'muted',
      id: 'roofline-limits',
      text: `received ${when(r.receivedAt)} · machine limits: FMA peak ${m.fmaPeakGflops.toFixed(1)} GFLOP/s${range(m.fmaPeakIqr, 1)}, memory bandwidth ${m.bandwidthGBs.toFixed(1)} GB/s${range(m.bandwidthIqr, 1)}`,
    }),
    chart(r),
    el('table', { class: 'plain', id: 'roofline-table' }, [
      el('thead', {}, [
        el(
          'tr',
          {},
          ['benchmark', 'state', 'GFLOP/s', 'GB/s', 'of limit', ''].map((h) => el('th', { text: h })),
        ),
      ]),
      el('tbody', {}, sorted.map(row)),
    ]),
  );
}

/**
 * Series: one benchmark over the main-branch commits of a testbed, drawn with uPlot (drag to
 * zoom, wheel to zoom, shift-drag or the arrows to pan, double-click to reset), with the change
 * points marked; hovering a point shows its commit, date and value with a link to the commit. A
 * selector switches between the measures the series has (time, peak memory, allocated).
 */
import uPlot from 'uplot';
import { measureInfo, type MeasureName, type MeasureSeries, type Series } from '../../model.js';
import { getJson } from './api.js';
import { commitLink, el, show } from './dom.js';
import { measureFormat, pct, when } from './format.js';

/** The value axis' title of each measure. */
const AXIS: Record<string, string> = {
  time: 'median time per call',
  'peak-memory': 'peak memory',
  allocated: 'allocated per call',
  allocations: 'allocations per call',
  instructions: 'instructions per call',
};

function pointInfo(box: HTMLElement, s: Series | MeasureSeries, index: number, value: string): void {
  const p = s.points;
  if (!(index >= 0 && index < p.runId.length))
    return void box.replaceChildren(
      el('span', { class: 'muted', text: 'Hover over the chart to see a commit; click to keep it.' }),
    );
  const state = p.state[index];
  box.replaceChildren(
    el('div', {}, [
      el('strong', { text: `#${index + 1} ` }),
      commitLink(s.repositoryUrl, p.sha[index] ?? null),
      ` · ${when(p.committedAt[index] ?? p.startedAt[index] ?? null)} · `,
      el('strong', { text: state === 'completed' ? value : (state ?? '') }),
    ]),
    el('div', { class: 'muted', text: p.message[index] ?? '' }),
  );
}

function wheelZoom(u: uPlot, min: number, max: number): void {
  u.over.addEventListener('wheel', (e) => {
    e.preventDefault();
    const x = u.posToVal(e.offsetX, 'x');
    const lo = u.scales.x?.min ?? min;
    const hi = u.scales.x?.max ?? max;
    const f = e.deltaY < 0 ? 0.8 : 1.25;
    const nlo = Math.max(min, x - (x - lo) * f);
    const nhi = Math.min(max, x + (hi - x) * f);
    if (nhi - nlo >= 2) u.setScale('x', { min: nlo, max: nhi });
  });
}

function pan(u: uPlot, by: number, min: number, max: number): void {
  const lo = u.scales.x?.min ?? min;
  const hi = u.scales.x?.max ?? max;
  const shift = Math.max(min - lo, Math.min(max - hi, (hi - lo) * by));
  u.setScale('x', { min: lo + shift, max: hi + shift });
}

/** Renders the series of benchmark `bid` of project `pid` on testbed `tid`, in `measure` (time by default). */
export async function seriesView(pid: string, tid: string, bid: string, measure = 'time'): Promise<void> {
  const path = `projects/${pid}/testbeds/${tid}/benchmarks/${bid}/series`;
  const s =
    measure === 'time'
      ? await getJson<Series>(path)
      : await getJson<MeasureSeries>(`${path}/${encodeURIComponent(measure)}`);
  const shown: MeasureName = 'measure' in s ? s.measure : 'time';
  const { format, scale } = measureFormat(measureInfo(shown).unit);
  const column = 'values' in s.points ? s.points.values : s.points.medianSeconds;
  const count = s.points.runId.length;
  const values = column.map((m, i) => (s.points.state[i] === 'completed' ? m : null));
  const present = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  const { factor, unit } = scale(present[Math.floor(present.length / 2)] ?? 1);
  const xs = Array.from({ length: count }, (_, i) => i);
  const ys = values.map((v) => (v === null ? null : v * factor));
  const info = el('div', { class: 'point-info', id: 'point-info' });
  const describe = (i: number): void => pointInfo(info, s, i, format(values[i] ?? null));
  let pinned = -1;
  describe(-1);
  const wrap = el('div', { class: 'chart-wrap', id: 'chart' });
  const layer = el('div', { class: 'cp-layer' });
  const placeMarkers = (u: uPlot): void => {
    layer.replaceChildren(
      ...s.changePoints.map((c) => {
        const left = u.valToPos(c.position - 0.5, 'x');
        const m = el(
          'div',
          {
            class: 'cp-marker',
            'data-position': String(c.position),
            title: `change point: ${pct(c.changePct)} (p = ${c.pValue.toPrecision(2)})`,
          },
          [el('span', { text: pct(c.changePct) })],
        );
        m.style.left = `${left}px`;
        m.style.display = left < 0 || left > u.over.clientWidth ? 'none' : '';
        return m;
      }),
    );
  };
  const max = Math.max(1, count - 1);
  const width = Math.max(400, Math.min(1400, (document.getElementById('view')?.clientWidth ?? 1000) - 20));
  const opts: uPlot.Options = {
    width,
    height: 380,
    scales: { x: { time: false } },
    axes: [
      { label: 'commit (oldest → newest)' },
      { label: `${AXIS[shown] ?? measureInfo(shown).label} (${unit})`, size: 70 },
    ],
    series: [
      { label: 'commit' },
      {
        label: 'median',
        stroke: '#2f5bd3',
        width: 1.5,
        points: { show: count <= 300, size: 4 },
        value: (_u, v) => (v === null ? '—' : `${v.toPrecision(4)} ${unit}`),
      },
    ],
    cursor: { drag: { x: true, y: false, setScale: true } },
    legend: { show: false },
    hooks: {
      setCursor: [(u) => pinned < 0 && describe(u.cursor.idx ?? -1)],
      setScale: [(u) => placeMarkers(u)],
      setSize: [(u) => placeMarkers(u)],
    },
  };
  const plot = el('div');
  wrap.append(plot);
  const measures = s.measures ?? ['time'];
  const selector = el(
    'select',
    { id: 'measure', 'aria-label': 'measure' },
    measures.map((m) => el('option', { value: m, text: measureInfo(m).label })),
  );
  selector.value = shown;
  selector.addEventListener('change', () => {
    const base = `#/p/${pid}/t/${tid}/b/${bid}`;
    location.hash = selector.value === 'time' ? base : `${base}?m=${encodeURIComponent(selector.value)}`;
  });
  const controls = el('div', { class: 'toolbar' }, [
    ...(measures.length > 1 ? [selector, ' '] : []),
    el('button', { type: 'button', id: 'pan-left', text: '◀ pan', title: 'pan left' }),
    el('button', { type: 'button', id: 'pan-right', text: 'pan ▶', title: 'pan right' }),
    el('button', { type: 'button', id: 'reset-zoom', text: 'reset zoom' }),
    el('span', { class: 'muted', text: 'drag to zoom · wheel to zoom · click a point to keep its details' }),
  ]);
  const cpRows = s.changePoints.map((c) =>
    el('tr', {}, [
      el('td', { class: 'num', text: String(c.position + 1) }),
      el('td', {}, [commitLink(s.repositoryUrl, c.sha)]),
      el('td', { class: 'num', text: format(c.meanBefore) }),
      el('td', { class: 'num', text: format(c.meanAfter) }),
      el('td', { class: `num ${c.changePct > 0 ? 'error' : ''}`, text: pct(c.changePct) }),
      el('td', { class: 'num', text: c.pValue.toPrecision(2) }),
    ]),
  );
  const b = s.benchmark;
  show(
    el('p', {}, [el('a', { href: `#/p/${pid}/t/${tid}`, text: '← all benchmarks' })]),
    el('h1', { text: b.name }),
    el('p', {
      class: 'muted',
      text: `${count} runs on ${s.branch} · testbed ${s.testbed.cpuModel} (${s.testbed.simd}) · fixture checksum ${b.fixtureChecksum.slice(0, 12)}`,
    }),
    controls,
    info,
    wrap,
    el('h2', { text: `Change points (${s.changePoints.length})` }),
    shown !== 'time'
      ? el('p', { class: 'muted', text: 'Change points are searched in time per call only.' })
      : s.changePoints.length === 0
        ? el('p', {
            class: 'muted',
            text: 'No change points: E-Divisive means found no significant shift in this series.',
          })
        : el('table', { class: 'plain', id: 'change-points' }, [
            el('thead', {}, [
              el(
                'tr',
                {},
                ['run', 'commit', 'mean before', 'mean after', 'change', 'p-value'].map((h) => el('th', { text: h })),
              ),
            ]),
            el('tbody', {}, cpRows),
          ]),
  );
  const u = new uPlot(opts, [xs, ys], plot);
  u.over.append(layer);
  placeMarkers(u);
  wheelZoom(u, 0, max);
  u.over.addEventListener('click', () => {
    pinned = pinned >= 0 ? -1 : (u.cursor.idx ?? -1);
    if (pinned >= 0) describe(pinned);
  });
  (document.getElementById('pan-left') as HTMLElement).addEventListener('click', () => pan(u, -0.25, 0, max));
  (document.getElementById('pan-right') as HTMLElement).addEventListener('click', () => pan(u, 0.25, 0, max));
  (document.getElementById('reset-zoom') as HTMLElement).addEventListener('click', () =>
    u.setScale('x', { min: 0, max }),
  );
}

/**
 * Run: one run's verdicts as a forest plot — each benchmark's estimated change with its
 * confidence interval against zero and its threshold band — regressions first, then where each
 * profiled regression went (its differential profiles), then the verdicts of the measures besides
 * time as a table.
 */
import {
  measureInfo,
  type BenchmarkResult,
  type MeasureResult,
  type RunReport,
  type Verdict,
  type VerdictKind,
} from '../../model.js';
import { getJson } from './api.js';
import { commitLink, el, show, svg } from './dom.js';
import { measureFormat, pct, when } from './format.js';
import { isProfiled, profileSection } from './profile.js';

const ORDER: Record<VerdictKind, number> = { regressed: 0, improved: 1, inconclusive: 2, unchanged: 3 };

/** A benchmark that was compared, with its verdict. */
type Compared = BenchmarkResult & { verdict: Verdict };

/** Regressions first, then improvements, then the rest; larger changes first within each. */
export function forestOrder(a: Compared, b: Compared): number {
  return (
    ORDER[a.verdict.kind] - ORDER[b.verdict.kind] ||
    Math.abs(b.verdict.changePct ?? 0) - Math.abs(a.verdict.changePct ?? 0) ||
    a.name.localeCompare(b.name)
  );
}

/** Why a benchmark has no verdict: one-sided, or its failure and reason. */
function notCompared(r: BenchmarkResult): string {
  if (r.presence !== 'both') return `${r.name}: ${r.presence} (on one side only)`;
  return r.state === 'completed' ? `${r.name}: measured, not compared` : `${r.name}: ${r.state} — ${r.reason}`;
}

function forest(rows: Compared[]): SVGSVGElement {
  const rowH = 22;
  const labelW = 360;
  const plotW = 520;
  const top = 28;
  const extent = Math.max(
    5,
    ...rows.flatMap((r) =>
      [r.verdict.changePct, r.verdict.ciLowPct, r.verdict.ciHighPct, r.verdict.thresholdPct]
        .filter((x): x is number => x !== null && Number.isFinite(x))
        .map(Math.abs),
    ),
  );
  const lim = Math.min(200, extent * 1.1);
  const x = (v: number) => labelW + ((Math.max(-lim, Math.min(lim, v)) + lim) / (2 * lim)) * plotW;
  const height = top + rows.length * rowH + 10;
  const root = svg('svg', {
    class: 'forest',
    width: labelW + plotW + 140,
    height,
    role: 'img',
    'aria-label': 'forest plot of changes with confidence intervals',
  });
  for (const t of [-lim, -lim / 2, 0, lim / 2, lim]) {
    root.append(
      svg('line', {
        class: t === 0 ? 'zero' : 'axis',
        x1: x(t),
        x2: x(t),
        y1: top - 6,
        y2: height - 6,
        'stroke-dasharray': t === 0 ? '' : '2 3',
      }),
    );
    root.append(svg('text', { x: x(t), y: 14, 'text-anchor': 'middle' }, pct(t, 0)));
  }
  rows.forEach((r, i) => {
    const y = top + i * rowH + rowH / 2;
    const v = r.verdict;
    const g = svg('g', { class: `forest-row ${v.kind}` });
    const label = svg('text', { x: 4, y: y + 4 }, r.name.length > 52 ? `${r.name.slice(0, 51)}…` : r.name);
    g.append(svg('title', {}, r.name), label);
    if (v.thresholdPct !== null)
      g.append(
        svg('rect', {
          class: 'band',
          x: x(-v.thresholdPct),
          y: y - 8,
          width: x(v.thresholdPct) - x(-v.thresholdPct),
          height: 16,
        }),
      );
    if (v.ciLowPct !== null && v.ciHighPct !== null)
      g.append(svg('line', { class: `ci ${v.kind}`, x1: x(v.ciLowPct), x2: x(v.ciHighPct), y1: y, y2: y }));
    if (v.changePct !== null) {
      const dot = svg('circle', { class: v.kind, cx: x(v.changePct), cy: y, r: 4 });
      dot.append(
        svg('title', {}, `${r.name}: ${pct(v.changePct)} [${pct(v.ciLowPct)}, ${pct(v.ciHighPct)}] — ${v.reason}`),
      );
      g.append(dot);
    }
    g.append(svg('text', { x: labelW + plotW + 8, y: y + 4 }, `${v.kind} ${pct(v.changePct)}`));
    root.append(g);
  });
  return root;
}

/** A measure's verdict on one benchmark. */
type MeasureVerdict = { name: string; m: MeasureResult & { verdict: Verdict } };

/** The measures besides time that were judged: benchmark, measure, before → after, change, verdict. */
function measureTable(run: RunReport): HTMLElement | null {
  const rows: MeasureVerdict[] = run.benchmarks.flatMap((b) =>
    b.measures.flatMap((m) => (m.verdict === null ? [] : [{ name: b.name, m: { ...m, verdict: m.verdict } }])),
  );
  if (rows.length === 0) return null;
  rows.sort(
    (a, b) =>
      ORDER[a.m.verdict.kind] - ORDER[b.m.verdict.kind] ||
      Math.abs(b.m.verdict.changePct ?? 0) - Math.abs(a.m.verdict.changePct ?? 0) ||
      a.name.localeCompare(b.name),
  );
  const body = rows.map(({ name, m }) => {
    const { format } = measureFormat(measureInfo(m.measure).unit);
    const v = m.verdict;
    return el('tr', {}, [
      el('td', { text: name }),
      el('td', { text: `${measureInfo(m.measure).label}${m.gated ? '' : ' (informs)'}` }),
      el('td', { class: 'num', text: `${format(m.baselineMedian)} → ${format(m.median)}` }),
      el('td', { class: `num ${(v.changePct ?? 0) > 0 ? 'error' : ''}`, text: pct(v.changePct) }),
      el('td', {}, [el('span', { class: `badge ${v.kind}`, text: v.kind, title: v.reason })]),
    ]);
  });
  return el('table', { class: 'plain', id: 'measure-verdicts' }, [
    el('thead', {}, [
      el(
        'tr',
        {},
        ['benchmark', 'measure', 'before → after', 'change', 'verdict'].map((h) => el('th', { text: h })),
      ),
    ]),
    el('tbody', {}, body),
  ]);
}

/** Renders run `id`. */
export async function runView(id: string): Promise<void> {
  const run = await getJson<RunReport>(`runs/${encodeURIComponent(id)}`);
  const rows = run.benchmarks.filter((b): b is Compared => b.verdict !== null).sort(forestOrder);
  const others = run.benchmarks.filter((b) => b.verdict === null);
  const s = run.summary;
  const measures = measureTable(run);
  const profiled = run.benchmarks
    .filter(isProfiled)
    .sort(
      (a, b) =>
        ORDER[a.verdict?.kind ?? 'unchanged'] - ORDER[b.verdict?.kind ?? 'unchanged'] ||
        Math.abs(b.verdict?.changePct ?? 0) - Math.abs(a.verdict?.changePct ?? 0) ||
        a.name.localeCompare(b.name),
    );
  show(
    el('h1', { text: `${run.kind} run ${run.id}` }),
    el('p', {}, [
      `${run.project} · head `,
      commitLink(null, run.head.sha),
      ` ${run.head.ref ?? ''}${run.base ? ' vs base ' : ''}`,
      run.base ? commitLink(null, run.base.sha) : '',
      ` · ${when(run.startedAt)} · ${run.testbed.cpuModel}`,
    ]),
    el('p', { class: 'muted', text: run.head.message ?? '' }),
    el('p', {
      text: `${s.regressed} regressed · ${s.improved} improved · ${s.unchanged} unchanged · ${s.inconclusive} inconclusive · ${s.errored} errored · ${s.skipped} skipped`,
    }),
    el('p', {
      class: 'muted',
      text: 'Each row: the estimated change in time per call (dot), its confidence interval (line) and the threshold that counts as real (grey band). Positive is slower.',
    }),
    forest(rows),
    ...(profiled.length > 0
      ? [
          el('p', {
            class: 'muted',
            text: 'Profiled regressions: the functions whose own cost per call grew most between the base and the head profile, largest growth first.',
          }),
          ...profiled.map(profileSection),
        ]
      : []),
    ...(measures ? [el('h2', { text: 'Other measures' }), measures] : []),
    ...(others.length > 0
      ? [
          el('h2', { text: 'Not compared' }),
          el(
            'ul',
            { class: 'plain' },
            others.map((r) => el('li', { text: notCompared(r) })),
          ),
        ]
      : []),
  );
}

/**
 * Where a regression went: a profiled benchmark's differential profiles as horizontal bar charts,
 * one row per function (largest growth first) with its cost per call on the head (bar above) and
 * the base (bar below), its name and file:line, and the growth; under a CPU differential, its
 * call tree as an icicle where the profile carries one (./icicle.ts); then where the profile files are.
 */
import type { BenchmarkProfile, BenchmarkResult, CountProfile } from '../../model.js';
import { el, svg } from './dom.js';
import { bytes, countUnit, pct, seconds } from './format.js';
import { icicle } from './icicle.js';

/** One function of a differential, whatever is counted. */
interface DiffRow {
  fn: string;
  /** `file:line`, the file alone, or '' when the profile gives no place. */
  place: string;
  base: number;
  head: number;
  delta: number;
}

/** What a chart counts: its name for people and how one figure per call is written. */
interface DiffUnit {
  /** `self time`, `allocated bytes`, `instructions`. */
  what: string;
  /** `ms`, `bytes`, `instructions`: the `data-unit` of the chart. */
  unit: string;
  format: (x: number) => string;
}

const placeOf = (file: string, line: number): string => (file === '' ? '' : line > 0 ? `${file}:${line}` : file);

/** Shortens a label to `max` characters; the whole text goes in the row's tooltip. */
const clip = (s: string, max: number): string => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

const TIME: DiffUnit = {
  what: 'self time',
  unit: 'ms',
  format: (ms) => (ms === 0 ? '0 ms/call' : `${seconds(ms / 1000)}/call`),
};

/** The growth relative to the base: `+205%`, or `×3072` where the head is ten times the base or more. */
const relative = (base: number, head: number): string =>
  base <= 0 ? '' : head / base >= 10 ? ` (×${(head / base).toFixed(0)})` : ` (${pct(((head - base) / base) * 100, 0)})`;

function countFormat(unit: CountProfile['unit']): DiffUnit {
  if (unit === 'bytes') return { what: 'allocated bytes', unit: 'bytes', format: (x) => `${bytes(x)}/call` };
  return {
    what: 'instructions',
    unit: 'instructions',
    format: (x) => {
      const { factor, unit: u } = countUnit(x);
      const v = x * factor;
      return `${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(u === '' ? 0 : 2)}${u ? ` ${u}` : ''} instructions/call`;
    },
  };
}

/** `+4.10 ms/call`, or `−…` where a function got cheaper. */
const growth = (u: DiffUnit, delta: number): string => `${delta >= 0 ? '+' : '−'}${u.format(Math.abs(delta))}`;

/** The chart: per function its head and base bars on one scale from zero, largest growth first. */
function diffChart(rows: DiffRow[], u: DiffUnit): SVGSVGElement {
  const labelW = 330;
  const plotW = 360;
  const growthW = 230;
  const rowH = 46;
  const top = 30;
  const sorted = [...rows].sort((a, b) => b.delta - a.delta || a.fn.localeCompare(b.fn));
  const max = Math.max(...sorted.flatMap((r) => [r.base, r.head]).filter(Number.isFinite), 0) || 1;
  const x = (v: number) => labelW + (Math.max(0, Math.min(max, v)) / max) * plotW;
  const height = top + sorted.length * rowH + 8;
  const root = svg('svg', {
    class: 'profile-diff',
    'data-unit': u.unit,
    width: labelW + plotW + growthW,
    height,
    role: 'img',
    'aria-label': `${u.what} per call by function, head against base`,
  });
  // Legend and scale.
  root.append(
    svg('rect', { class: 'bar-head', x: labelW, y: 6, width: 12, height: 10 }),
    svg('text', { x: labelW + 16, y: 15 }, 'head'),
    svg('rect', { class: 'bar-base', x: labelW + 60, y: 6, width: 12, height: 10 }),
    svg('text', { x: labelW + 76, y: 15 }, 'base'),
    svg('text', { class: 'scale', x: labelW + plotW, y: 15, 'text-anchor': 'end' }, `0 – ${u.format(max)}`),
    svg('text', { class: 'scale', x: labelW + plotW + 8, y: 15 }, `growth (${u.what})`),
    svg('line', { class: 'axis', x1: labelW, x2: labelW, y1: top - 4, y2: height - 4 }),
  );
  sorted.forEach((r, i) => {
    const y = top + i * rowH;
    const g = svg('g', { class: `profile-row${r.delta > 0 ? ' grew' : ''}` });
    const change = relative(r.base, r.head);
    g.append(
      svg(
        'title',
        {},
        `${r.fn}${r.place ? ` — ${r.place}` : ''}\nbase ${u.format(r.base)}, head ${u.format(r.head)}, ${growth(u, r.delta)}${change}`,
      ),
      svg('text', { class: 'fn', x: 4, y: y + 15 }, clip(r.fn, 46)),
      svg('text', { class: 'place', x: 4, y: y + 31 }, clip(r.place || 'no source location', 56)),
      svg('rect', { class: 'bar-head', x: labelW, y: y + 4, width: Math.max(1, x(r.head) - labelW), height: 14 }),
      svg('rect', { class: 'bar-base', x: labelW, y: y + 20, width: Math.max(1, x(r.base) - labelW), height: 14 }),
      svg('text', { class: 'growth', x: labelW + plotW + 8, y: y + 15 }, `${growth(u, r.delta)}${change}`),
      svg('text', { class: 'sides', x: labelW + plotW + 8, y: y + 31 }, `${u.format(r.base)} → ${u.format(r.head)}`),
    );
    root.append(g);
  });
  return root;
}

/** Where a profile's files are: the service keeps only the report, not the files beside it. */
function filesLine(files: { base: string; head: string } | null, opener: string): HTMLElement | null {
  if (files === null) return null;
  return el('p', { class: 'muted profile-files' }, [
    'Profile files: ',
    el('code', { text: files.base }),
    ', ',
    el('code', { text: files.head }),
    ` — relative to the report's folder; this service keeps only the report, so download them from the workflow run's `,
    el('code', { text: 'benchgate-profiles' }),
    ` artifact (${opener}).`,
  ]);
}

/** One differential: heading, chart (or why there is none), what goes under it, note, files. */
function diffBlock(
  title: string,
  rows: DiffRow[],
  u: DiffUnit,
  note: string | undefined,
  files: { base: string; head: string } | null,
  opener: string,
  kind: 'cpu' | 'count',
  under: HTMLElement[] = [],
): HTMLElement {
  return el('div', { class: `profile-diff-block ${kind}` }, [
    el('h3', { text: title }),
    rows.length > 0
      ? diffChart(rows, u)
      : el('p', { class: 'muted', text: `The profiles show no function whose ${u.what} per call grew.` }),
    ...under,
    ...(note ? [el('p', { class: 'muted profile-note', text: note })] : []),
    ...[filesLine(files, opener)].filter((n): n is HTMLElement => n !== null),
  ]);
}

const cpuRows = (p: BenchmarkProfile): DiffRow[] =>
  p.top.map((l) => ({
    fn: l.function,
    place: placeOf(l.file, l.line),
    base: l.baseMsPerCall,
    head: l.headMsPerCall,
    delta: l.deltaMsPerCall,
  }));

const countRows = (c: CountProfile): DiffRow[] =>
  c.top.map((l) => ({
    fn: l.function,
    place: placeOf(l.file, l.line),
    base: l.basePerCall,
    head: l.headPerCall,
    delta: l.deltaPerCall,
  }));

/** Whether a result carries a differential profile to show. */
export const isProfiled = (b: BenchmarkResult): boolean => b.profile !== undefined || b.countProfile !== undefined;

/** A profiled benchmark's section: its CPU differential and its count differential, where it has them. */
export function profileSection(b: BenchmarkResult): HTMLElement {
  const blocks: HTMLElement[] = [];
  const p = b.profile;
  if (p !== undefined) {
    const profiler = p.profiler ?? 'V8 CPU profiler';
    blocks.push(
      diffBlock(
        `Self time per call by function (${profiler}, ms/call)`,
        cpuRows(p),
        TIME,
        p.note,
        p.files,
        profiler === 'cProfile'
          ? 'open the .prof files with snakeviz or pstats'
          : 'open them in Chrome DevTools or speedscope',
        'cpu',
        p.tree ? [icicle(p.tree)] : [],
      ),
    );
  }
  const c = b.countProfile;
  if (c !== undefined) {
    const u = countFormat(c.unit);
    blocks.push(
      diffBlock(
        `${c.unit === 'bytes' ? 'Allocated bytes' : 'Instructions'} per call by function (${c.profiler}, ${c.unit}/call)`,
        countRows(c),
        u,
        c.note,
        c.files,
        c.unit === 'bytes' ? 'open them in Chrome DevTools' : 'open them with callgrind_annotate or KCachegrind',
        'count',
      ),
    );
  }
  const v = b.verdict;
  return el('section', { class: 'profile', 'data-benchmark': b.name }, [
    el('h2', { class: 'profile-title' }, [
      'Where it went: ',
      el('span', { text: b.name }),
      ...(v
        ? [' ', el('span', { class: `badge ${v.kind}`, text: `${v.kind} ${pct(v.changePct)}`, title: v.reason })]
        : []),
    ]),
    ...blocks,
  ]);
}

/**
 * Overview: every benchmark grouped by kernel, with search and a verdict filter, a sparkline of
 * the recent runs, the latest value and verdict, and the number of change points. A selector
 * switches between the measures the recent runs have (time, peak memory, allocated…); change
 * points are searched in time only, so other measures show none.
 */
import {
  measureInfo,
  type MeasureOverview,
  type MeasureOverviewRow,
  type Overview,
  type OverviewRow,
} from '../../model.js';
import { getJson } from './api.js';
import { el, link, show } from './dom.js';
import { measureFormat, pct } from './format.js';
import { drawSparkline } from './sparkline.js';
import { virtualList } from './virtual-list.js';

type Row = OverviewRow | MeasureOverviewRow;
type Item = { group: string; count: number } | Row;

/** The latest figure of a row, in whichever measure it is. */
const latestValue = (row: Row): number | null =>
  row.latest === null ? null : 'value' in row.latest ? row.latest.value : row.latest.medianSeconds;

function verdictBadge(row: Row): HTMLElement {
  const v = row.verdict?.kind ?? (row.latest === null ? null : 'inconclusive');
  if (v === null) return el('span', { class: 'muted', text: 'no runs' });
  return el('span', { class: `badge ${v}`, text: v, title: row.verdict?.reason ?? '' });
}

/** The hash that keeps the view's state: its search and its measure (time by default). */
function stateHash(base: string, query: string, measure: string): string {
  const q = new URLSearchParams();
  if (query) q.set('q', query);
  if (measure !== 'time') q.set('m', measure);
  const s = q.toString();
  return s ? `${base}?${s}` : base;
}

/**
 * Renders the overview of project `pid` on testbed `tid`; `query` is the initial search and
 * `measure` the measure shown (time by default).
 */
export async function overviewView(pid: string, tid: string, query: string, measure = 'time'): Promise<void> {
  const path = `projects/${pid}/testbeds/${tid}/overview`;
  const data =
    measure === 'time'
      ? await getJson<Overview>(path)
      : await getJson<MeasureOverview>(`${path}/${encodeURIComponent(measure)}`);
  const shown = 'measure' in data ? data.measure : 'time';
  const info = measureInfo(shown);
  const { format } = measureFormat(info.unit);
  const rows: Row[] = data.rows;
  const search = el('input', {
    type: 'search',
    id: 'search',
    placeholder: 'Search benchmarks (name, kernel, implementation)…',
    'aria-label': 'search benchmarks',
  });
  search.value = query;
  const changesOption = el('option', { value: 'changes', text: 'with change points' });
  changesOption.disabled = shown !== 'time';
  const filter = el('select', { id: 'verdict-filter', 'aria-label': 'filter by verdict' }, [
    el('option', { value: '', text: 'all verdicts' }),
    ...['regressed', 'improved', 'inconclusive', 'unchanged'].map((v) => el('option', { value: v, text: v })),
    changesOption,
  ]);
  const measures = data.measures ?? ['time'];
  const selector = el(
    'select',
    { id: 'overview-measure', 'aria-label': 'measure' },
    measures.map((m) => el('option', { value: m, text: measureInfo(m).label })),
  );
  selector.value = shown;
  const counter = el('span', { class: 'muted', id: 'count' });
  const header = el('div', { class: 'vrow head' }, [
    el('span', { text: 'benchmark' }),
    el('span', { text: 'recent runs' }),
    el('span', { class: 'value', text: 'latest', title: `latest ${info.label}` }),
    el('span', { text: 'verdict' }),
    el('span', { text: 'changes' }),
  ]);
  const list = virtualList(32, header);
  const base = `#/p/${pid}/t/${tid}`;
  const seriesHash = (id: number): string => stateHash(`${base}/b/${id}`, '', shown);

  const renderRow = (item: Item): HTMLElement => {
    if ('group' in item)
      return el('div', { class: 'vrow group' }, [
        el('span', { text: item.group }),
        el('span', { class: 'muted', text: `${item.count} benchmarks` }),
      ]);
    const canvas = el('canvas', { class: 'spark', 'aria-hidden': 'true' });
    drawSparkline(canvas, item.sparkline);
    const change =
      !('changePoints' in item) || item.changePoints === 0
        ? el('span', {
            class: 'muted',
            text: '—',
            title: 'changePoints' in item ? 'no change points' : 'change points are searched in time only',
          })
        : el('span', { class: 'cp', text: `${item.changePoints} (last ${pct(item.lastChangePct)})` });
    const name = el('span', { class: 'name', title: item.name }, [link(seriesHash(item.id), item.name)]);
    return el('div', { class: 'vrow bench', 'data-id': String(item.id) }, [
      name,
      canvas,
      el('span', { class: 'value', text: format(latestValue(item)) }),
      el('span', {}, [verdictBadge(item)]),
      change,
    ]);
  };

  const apply = (): void => {
    const words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    const want = filter.value;
    const shownRows = rows.filter((r) => {
      const text = `${r.name} ${r.kernel} ${r.implementation} ${r.fixture}`.toLowerCase();
      if (!words.every((w) => text.includes(w))) return false;
      if (want === 'changes') return 'changePoints' in r && r.changePoints > 0;
      return want === '' || (r.verdict?.kind ?? 'inconclusive') === want;
    });
    const items: Item[] = [];
    let group: string | null = null;
    for (const r of shownRows) {
      if (r.kernel !== group) {
        group = r.kernel;
        items.push({ group, count: shownRows.filter((x) => x.kernel === group).length });
      }
      items.push(r);
    }
    counter.textContent = `${shownRows.length} of ${rows.length} benchmarks`;
    list.update(items.length, (i) => renderRow(items[i] as Item));
    const hash = stateHash(base, search.value, shown);
    if (location.hash !== hash) history.replaceState(null, '', hash);
  };
  search.addEventListener('input', apply);
  filter.addEventListener('change', apply);
  // A new measure is a new view (its own data), reached through the hash like any other.
  selector.addEventListener('change', () => {
    location.hash = stateHash(base, search.value, selector.value);
  });
  const t = data.testbed;
  show(
    el('h1', { text: `${data.project.name}: benchmarks` }),
    el('p', {
      class: 'muted',
      text: `testbed ${t.cpuModel} · ${t.cores} cores · ${t.simd} · ${t.os} · node ${t.node}${t.gpu ? ` · ${t.gpu}` : ''} · ${t.runs} runs on ${data.branch}`,
    }),
    el('div', { class: 'toolbar' }, [search, ...(measures.length > 1 ? [selector] : []), filter, counter]),
    ...(shown === 'time'
      ? []
      : [
          el('p', {
            class: 'muted',
            id: 'overview-measure-note',
            text: `Showing ${info.label}. Change points are searched in time per call only; benchmarks without ${info.label} figures in the recent runs are left out.`,
          }),
        ]),
    list.element,
  );
  apply();
}

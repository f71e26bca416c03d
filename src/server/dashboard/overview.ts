/**
 * Overview: every benchmark grouped by kernel, with search and a verdict filter, a sparkline of
 * the recent runs, the latest value and verdict, and the number of change points.
 */
import type { Overview, OverviewRow } from '../../model.js';
import { getJson } from './api.js';
import { el, link, show } from './dom.js';
import { pct, seconds } from './format.js';
import { drawSparkline } from './sparkline.js';
import { virtualList } from './virtual-list.js';

type Item = { group: string; count: number } | OverviewRow;

function verdictBadge(row: OverviewRow): HTMLElement {
  const v = row.verdict?.kind ?? (row.latest === null ? null : 'inconclusive');
  if (v === null) return el('span', { class: 'muted', text: 'no runs' });
  return el('span', { class: `badge ${v}`, text: v, title: row.verdict?.reason ?? '' });
}

/** Renders the overview of project `pid` on testbed `tid`; `query` is the initial search. */
export async function overviewView(pid: string, tid: string, query: string): Promise<void> {
  const data = await getJson<Overview>(`projects/${pid}/testbeds/${tid}/overview`);
  const search = el('input', {
    type: 'search',
    id: 'search',
    placeholder: 'Search benchmarks (name, kernel, implementation)…',
    'aria-label': 'search benchmarks',
  });
  search.value = query;
  const filter = el('select', { id: 'verdict-filter', 'aria-label': 'filter by verdict' }, [
    el('option', { value: '', text: 'all verdicts' }),
    ...['regressed', 'improved', 'inconclusive', 'unchanged'].map((v) => el('option', { value: v, text: v })),
    el('option', { value: 'changes', text: 'with change points' }),
  ]);
  const counter = el('span', { class: 'muted', id: 'count' });
  const header = el('div', { class: 'vrow head' }, [
    el('span', { text: 'benchmark' }),
    el('span', { text: 'recent runs' }),
    el('span', { class: 'value', text: 'latest' }),
    el('span', { text: 'verdict' }),
    el('span', { text: 'changes' }),
  ]);
  const list = virtualList(32, header);
  const base = `#/p/${pid}/t/${tid}`;

  const renderRow = (item: Item): HTMLElement => {
    if ('group' in item)
      return el('div', { class: 'vrow group' }, [
        el('span', { text: item.group }),
        el('span', { class: 'muted', text: `${item.count} benchmarks` }),
      ]);
    const canvas = el('canvas', { class: 'spark', 'aria-hidden': 'true' });
    drawSparkline(canvas, item.sparkline);
    const change =
      item.changePoints > 0
        ? el('span', { class: 'cp', text: `${item.changePoints} (last ${pct(item.lastChangePct)})` })
        : el('span', { class: 'muted', text: '—' });
    const name = el('span', { class: 'name', title: item.name }, [link(`${base}/b/${item.id}`, item.name)]);
    return el('div', { class: 'vrow bench', 'data-id': String(item.id) }, [
      name,
      canvas,
      el('span', { class: 'value', text: seconds(item.latest?.medianSeconds ?? null) }),
      el('span', {}, [verdictBadge(item)]),
      change,
    ]);
  };

  const apply = (): void => {
    const words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    const want = filter.value;
    const rows = data.rows.filter((r) => {
      const text = `${r.name} ${r.kernel} ${r.implementation} ${r.fixture}`.toLowerCase();
      if (!words.every((w) => text.includes(w))) return false;
      if (want === 'changes') return r.changePoints > 0;
      return want === '' || (r.verdict?.kind ?? 'inconclusive') === want;
    });
    const items: Item[] = [];
    let group: string | null = null;
    for (const r of rows) {
      if (r.kernel !== group) {
        group = r.kernel;
        items.push({ group, count: rows.filter((x) => x.kernel === group).length });
      }
      items.push(r);
    }
    counter.textContent = `${rows.length} of ${data.rows.length} benchmarks`;
    list.update(items.length, (i) => renderRow(items[i] as Item));
    const hash = `${base}${search.value ? `?q=${encodeURIComponent(search.value)}` : ''}`;
    if (location.hash !== hash) history.replaceState(null, '', hash);
  };
  search.addEventListener('input', apply);
  filter.addEventListener('change', apply);
  const t = data.testbed;
  show(
    el('h1', { text: `${data.project.name}: benchmarks` }),
    el('p', {
      class: 'muted',
      text: `testbed ${t.cpuModel} · ${t.cores} cores · ${t.simd} · ${t.os} · node ${t.node}${t.gpu ? ` · ${t.gpu}` : ''} · ${t.runs} runs on ${data.branch}`,
    }),
    el('div', { class: 'toolbar' }, [search, filter, counter]),
    list.element,
  );
  apply();
}

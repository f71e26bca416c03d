/**
 * The dashboard's entry: a hash router (so it works from static files) over the views, and the
 * navigation bar with the project and testbed chosen.
 */
import type { ProjectSummary } from '../../model.js';
import { getJson, showError } from './api.js';
import { el, link, show } from './dom.js';
import { overviewView } from './overview.js';
import { rooflineView } from './roofline.js';
import { runView } from './run.js';
import { runsView } from './runs.js';
import { seriesView } from './series.js';

let projects: ProjectSummary[] | null = null;

function nav(p: ProjectSummary | undefined, tid: string | undefined, active: string): void {
  const items: HTMLElement[] = [];
  if (p) {
    const t = tid ?? String(p.testbeds[0]?.id ?? '');
    if (t) items.push(link(`#/p/${p.id}/t/${t}`, 'Overview', active === 'overview' ? 'active' : undefined));
    items.push(link(`#/p/${p.id}/runs`, 'Runs', active === 'runs' ? 'active' : undefined));
    items.push(link(`#/p/${p.id}/roofline`, 'Roofline', active === 'roofline' ? 'active' : undefined));
  }
  (document.getElementById('nav') as HTMLElement).replaceChildren(...items);
  (document.getElementById('context') as HTMLElement).textContent = p
    ? `${p.name} · ${p.runs} runs · ${p.benchmarks} benchmarks`
    : '';
}

async function route(): Promise<void> {
  const [path = '', query = ''] = location.hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  projects ??= await getJson<ProjectSummary[]>('projects');
  const find = (id: string | undefined) => projects?.find((p) => String(p.id) === id);
  if (parts[0] === 'run' && parts[1]) {
    nav(projects[0], undefined, 'runs');
    return runView(parts[1]);
  }
  if (parts[0] === 'p' && parts[1]) {
    const p = find(parts[1]);
    if (!p) return show(el('p', { class: 'error', text: `No project with id ${parts[1]}.` }));
    if (parts[2] === 'runs') return (nav(p, undefined, 'runs'), runsView(p.id.toString()));
    if (parts[2] === 'roofline') return (nav(p, undefined, 'roofline'), rooflineView(p.id.toString()));
    if (parts[2] === 't' && parts[3]) {
      nav(p, parts[3], 'overview');
      if (parts[4] === 'b' && parts[5])
        return seriesView(String(p.id), parts[3], parts[5], new URLSearchParams(query).get('m') ?? 'time');
      const q = new URLSearchParams(query);
      return overviewView(String(p.id), parts[3], q.get('q') ?? '', q.get('m') ?? 'time');
    }
  }
  // Home: the first project's overview, or the list of projects.
  nav(undefined, undefined, '');
  if (projects.length === 0)
    return show(
      el('h1', { text: 'benchgate' }),
      el('p', { class: 'muted', text: 'No runs stored yet: run benchgate run, or POST a run to /api/v1/runs.' }),
    );
  const first = projects[0] as ProjectSummary;
  if (projects.length === 1 && first.testbeds[0]) {
    location.replace(`#/p/${first.id}/t/${first.testbeds[0].id}`);
    return;
  }
  show(
    el('h1', { text: 'Projects' }),
    el(
      'ul',
      {},
      projects.map((p) =>
        el('li', {}, [
          p.testbeds[0] ? link(`#/p/${p.id}/t/${p.testbeds[0].id}`, p.name) : link(`#/p/${p.id}/runs`, p.name),
          el('span', { class: 'muted', text: ` ${p.benchmarks} benchmarks, ${p.runs} runs` }),
        ]),
      ),
    ),
  );
}

function go(): void {
  route().then(
    () => document.body.setAttribute('data-ready', location.hash),
    (e: unknown) => showError(e, go),
  );
}

window.addEventListener('hashchange', go);
go();

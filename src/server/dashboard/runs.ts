/** Runs: a project's latest runs, each linking to its forest plot. */
import type { RunListItem } from '../../model.js';
import { getJson } from './api.js';
import { commitLink, el, link, show } from './dom.js';
import { when } from './format.js';

/** Renders the run list of project `pid`. */
export async function runsView(pid: string): Promise<void> {
  const runs = await getJson<RunListItem[]>(`projects/${pid}/runs`);
  show(
    el('h1', { text: 'Runs' }),
    runs.length === 0
      ? el('p', { class: 'muted', text: 'No runs stored yet.' })
      : el('table', { class: 'plain', id: 'runs' }, [
          el('thead', {}, [
            el(
              'tr',
              {},
              ['started', 'kind', 'head', 'ref', 'message', 'regressed', 'improved', 'unchanged'].map((h) =>
                el('th', { text: h }),
              ),
            ),
          ]),
          el(
            'tbody',
            {},
            runs.map((r) =>
              el('tr', {}, [
                el('td', {}, [link(`#/run/${encodeURIComponent(r.id)}`, when(r.startedAt))]),
                el('td', { text: r.kind }),
                el('td', {}, [commitLink(null, r.head.sha)]),
                el('td', { text: r.head.ref ?? '' }),
                el('td', { text: r.head.message ?? '' }),
                el('td', { class: 'num', text: String(r.summary.regressed) }),
                el('td', { class: 'num', text: String(r.summary.improved) }),
                el('td', { class: 'num', text: String(r.summary.unchanged) }),
              ]),
            ),
          ),
        ]),
  );
}

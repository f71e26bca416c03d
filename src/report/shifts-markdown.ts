/** The job-summary section for main's history: shifts found in the newest commits, by commit. */
import type { RecentShift } from '../store/recent-shifts.js';
import { formatPct } from './format.js';
import { escapeMarkdown } from './markdown.js';

/** Renders the shifts; `commitUrl` turns a SHA into a link (null: plain SHA). */
export function renderShifts(
  shifts: RecentShift[],
  o: { newest: number; minSize: number; runs: number; commitUrl: ((sha: string) => string) | null },
): string {
  const head = `### Change points in the newest ${o.newest} commits`;
  const waits = `<sub>E-Divisive means over each benchmark's history on this testbed (${o.runs} run${o.runs === 1 ? '' : 's'} of the newest series); a shift in the last ${o.minSize - 1} commits needs ${o.minSize} runs after it to be confirmed.</sub>`;
  if (shifts.length === 0) return `${head}\n\nNo shift found.\n\n${waits}\n`;
  const commit = (s: RecentShift) => {
    if (s.sha === null) return 'an uncommitted tree';
    const short = `\`${s.sha.slice(0, 7)}\``;
    return o.commitUrl ? `[${short}](${o.commitUrl(s.sha)})` : short;
  };
  const lines = shifts.map(
    (s) =>
      `- **${escapeMarkdown(s.benchmark)}**: ${s.changePct > 0 ? 'slower' : 'faster'} by ${formatPct(s.changePct)} from commit ${commit(s)}` +
      `${s.message ? ` (${escapeMarkdown(s.message)})` : ''}, ${s.runsAgo === 0 ? 'the newest run' : `${s.runsAgo} run${s.runsAgo === 1 ? '' : 's'} ago`} · p = ${s.pValue.toPrecision(2)}`,
  );
  return `${head}\n\n${lines.join('\n')}\n\n${waits}\n`;
}

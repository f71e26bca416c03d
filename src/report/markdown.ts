/**
 * The Markdown report (file, PR comment, job summary): the headline, the regressions and
 * improvements with their numbers, everything else collapsed, and the testbed. Every field of a
 * report is data, perhaps written by a fork: it is escaped so it shows as written and can never
 * become a heading, link, image, HTML, @mention or #reference.
 */
import { growthPath, measureInfo, type BenchmarkResult, type RunReport } from '../model.js';
import { formatInterval, formatPct, formatSeconds, formatThroughput } from './format.js';
import { measureLines, measureSentence } from './measures.js';
import { countsLine, gateChangesLine, headline, ordered, verdictLabel } from './summary.js';

/** U+2060 WORD JOINER: invisible, and breaks GitHub's @mention, #reference and autolink patterns. */
const JOIN = '\u2060';

/**
 * Escapes text for GitHub-flavoured Markdown, in a table cell or a paragraph: the characters that
 * can start markup (emphasis, code, links, images, headings, lists, tables, strikethrough, math)
 * get a backslash, which Markdown removes; `&`, `<` and `>` become entities; line breaks and other
 * control characters become spaces; and `@name`, `#123`, `GH-1`, `scheme://` and `www.` get an
 * invisible joiner so GitHub links none of them.
 */
export function escapeMarkdown(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
      .replace(/[\\`*_[\]()#+\-!|~$]/g, '\\$&')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/[@#]/g, `$&${JOIN}`)
      .replace(/\b(GH)\\-/gi, `$1${JOIN}\\-`)
      .replace(/:\/\//g, `${JOIN}://`)
      .replace(/\b(www)\./gi, `$1${JOIN}.`)
  );
}

function table(benchmarks: BenchmarkResult[]): string[] {
  return [
    '| benchmark | before | after | change | interval | throughput | verdict |',
    '|---|---:|---:|---:|---|---:|---|',
    ...benchmarks.map(
      (b) =>
        `| ${escapeMarkdown(b.name)} | ${b.presence === 'added' ? '—' : formatSeconds(b.presence === 'removed' ? b.medianSeconds : b.baselineMedianSeconds)} | ${b.presence === 'removed' ? '—' : formatSeconds(b.medianSeconds)} | ${formatPct(b.verdict?.changePct ?? null)} | ` +
        `${formatInterval(b.verdict?.ciLowPct ?? null, b.verdict?.ciHighPct ?? null)} | ${formatThroughput(b.gflops, b.gbps)} | ` +
        `${escapeMarkdown(verdictLabel(b, false))} |`,
    ),
  ];
}

/** Milliseconds per call, signed, to two significant figures at most (microseconds below 0.01 ms). */
function formatMsPerCall(ms: number): string {
  const sign = ms < 0 ? '−' : '+';
  const x = Math.abs(ms);
  if (x >= 1) return `${sign}${x.toFixed(1)} ms/call`;
  if (x >= 0.01) return `${sign}${Number(x.toPrecision(2))} ms/call`;
  return `${sign}${Number((x * 1000).toPrecision(2))} µs/call`;
}

/** A function name as a code span when it is plainly an identifier, else escaped text. */
const functionName = (name: string): string =>
  /^[A-Za-z0-9_$.]{1,200}$/.test(name) ? `\`${name}\`` : escapeMarkdown(name);

/** A growth of a count per call: `+1.5 kB/call allocated`, `+2.1 M instructions/call`. */
export function formatCountPerCall(x: number, unit: 'bytes' | 'instructions'): string {
  const sign = x < 0 ? '−' : '+';
  const a = Math.abs(x);
  const [scaled, prefix] = a >= 1e9 ? [a / 1e9, 'G'] : a >= 1e6 ? [a / 1e6, 'M'] : a >= 1e3 ? [a / 1e3, 'k'] : [a, ''];
  const n = Number(scaled.toPrecision(scaled >= 100 || prefix === '' ? 3 : 2));
  return unit === 'bytes'
    ? `${sign}${n} ${prefix}B/call allocated`
    : `${sign}${n}${prefix === '' ? '' : ` ${prefix}`} instructions/call`;
}

/** ` (file:line)`, escaped, or nothing when the place is unknown. */
const placeOf = (file: string, line: number): string =>
  file === '' ? '' : ` (${escapeMarkdown(line > 0 ? `${file}:${line}` : file)})`;

/**
 * A regression's differential profiles as sub-items of its line: the functions whose self time per
 * call grew most ("+4.1 ms/call in `integrateRange` (kernels/ode-ensemble/ts-soa.ts:7)"), the path
 * down the call tree along which it grew ("where it grew: `run` → `middle` → `leaf`"), then those
 * whose allocated bytes or instructions per call grew most, or why there is none (a missing
 * profiler is named).
 */
export function profileLines(b: BenchmarkResult): string[] {
  const lines: string[] = [];
  const p = b.profile;
  if (p !== undefined) {
    lines.push(
      ...p.top.map(
        (l) => `  - ${formatMsPerCall(l.deltaMsPerCall)} in ${functionName(l.function)}${placeOf(l.file, l.line)}`,
      ),
    );
    if (p.note) lines.push(`  - ${escapeMarkdown(p.note)}`);
    else if (p.top.length === 0) lines.push('  - the profiles show no function whose self time per call grew');
    // Where in the call tree: worth a line when the growth runs below the benchmark's own function.
    const path = p.tree === undefined ? [] : growthPath(p.tree.root).slice(1);
    if (path.length >= 2) lines.push(`  - where it grew: ${path.map((n) => functionName(n.function)).join(' → ')}`);
  }
  const c = b.countProfile;
  if (c !== undefined) {
    lines.push(
      ...c.top.map(
        (l) =>
          `  - ${formatCountPerCall(l.deltaPerCall, c.unit)} in ${functionName(l.function)}${placeOf(l.file, l.line)}`,
      ),
    );
    if (c.note) lines.push(`  - ${escapeMarkdown(c.note)}`);
    else if (c.top.length === 0)
      lines.push(
        `  - the ${escapeMarkdown(c.profiler)} profiles show no function whose ${c.unit === 'bytes' ? 'allocated bytes' : 'instructions'} per call grew`,
      );
  }
  return lines;
}

/** Renders the report as GitHub-flavoured Markdown. */
export function renderMarkdown(report: RunReport): string {
  const all = ordered(report.benchmarks);
  const compared = (b: BenchmarkResult) => b.presence === 'both';
  const flagged = all.filter(
    (b) =>
      compared(b) && b.state === 'completed' && (b.verdict?.kind === 'regressed' || b.verdict?.kind === 'improved'),
  );
  const oneSided = all.filter((b) => !compared(b));
  const rest = all.filter((b) => !flagged.includes(b) && compared(b));
  const s = report.summary;
  const tb = report.testbed;
  const icon = s.regressed > 0 ? '🔴' : '🟢';
  const rev = report.base
    ? `\`${report.base.sha?.slice(0, 7) ?? 'base'}\` → \`${report.head.sha?.slice(0, 7) ?? 'working tree'}\`${report.head.dirty ? ' (with uncommitted changes)' : ''}`
    : `\`${report.head.sha?.slice(0, 7) ?? 'working tree'}\`${report.head.dirty ? ' (uncommitted changes)' : ''} against the history of this testbed`;
  const gate = gateChangesLine(report);
  const out = [
    `## ${icon} benchgate: ${headline(s)}`,
    '',
    `${rev} · ${countsLine(s, true)}`,
    '',
    ...(gate ? [`> ⚠️ ${gate}`, ''] : []),
  ];
  if (flagged.length > 0) out.push(...table(flagged), '');
  const profiled = new Set<string>();
  const withProfile = (b: BenchmarkResult | undefined): string[] => {
    if (b === undefined || profiled.has(b.name)) return [];
    profiled.add(b.name);
    return profileLines(b);
  };
  for (const b of flagged)
    out.push(`- **${escapeMarkdown(b.name)}**: ${escapeMarkdown(b.verdict?.reason ?? '')}`, ...withProfile(b));
  const flaggedMeasures = measureLines(report, true);
  for (const l of flaggedMeasures)
    out.push(
      `- **${escapeMarkdown(l.benchmark)}**: ${escapeMarkdown(measureSentence(l))}`,
      ...withProfile(report.benchmarks.find((b) => b.name === l.benchmark)),
    );
  if (flagged.length + flaggedMeasures.length > 0) out.push('');
  if (oneSided.length > 0) {
    out.push(`**Added or removed** (on one side only, not compared):`, '', ...table(oneSided), '');
  }
  if (rest.length > 0) {
    // Why each inconclusive one is: what held it back, and the slowdown its rounds would have caught.
    const inconclusive = rest
      .filter((b) => report.kind === 'compare' && b.state === 'completed' && b.verdict?.kind === 'inconclusive')
      .map((b) => `- ${escapeMarkdown(b.name)}: ${escapeMarkdown(b.verdict?.reason ?? '')}`);
    out.push(
      `<details><summary>${rest.length} other benchmark${rest.length === 1 ? '' : 's'}</summary>`,
      '',
      ...table(rest),
      '',
      ...(inconclusive.length > 0 ? [...inconclusive, ''] : []),
      '</details>',
      '',
    );
  }
  const judged = measureLines(report).filter((l) => l.kind !== null && !flaggedMeasures.includes(l));
  if (judged.length > 0) {
    out.push(
      `<details><summary>${judged.length} other measure${judged.length === 1 ? '' : 's'} (${escapeMarkdown([...new Set(judged.map((l) => measureInfo(l.measure).label))].join(', '))})</summary>`,
      '',
      '| benchmark | measure | before → after | change | verdict |',
      '|---|---|---:|---:|---|',
      ...judged.map(
        (l) =>
          `| ${escapeMarkdown(l.benchmark)} | ${escapeMarkdown(measureInfo(l.measure).label)} | ${escapeMarkdown(l.figures)} | ${formatPct(l.changePct)} | ${l.kind}${l.gated ? '' : ' (informs only)'} |`,
      ),
      '',
      '</details>',
      '',
    );
  }
  out.push(
    `<sub>testbed ${escapeMarkdown(tb.key)}: ${escapeMarkdown(tb.cpuModel)}, ${tb.cores} cores, ${escapeMarkdown(tb.simd)}, ${escapeMarkdown(tb.os)}, Node ${escapeMarkdown(tb.node)}${tb.gpu ? `, ${escapeMarkdown(tb.gpu)}` : ''} · run ${escapeMarkdown(report.id)} · profile ${escapeMarkdown(report.profile)}</sub>`,
  );
  return out.join('\n') + '\n';
}

// The reports explain an inconclusive comparison (what held it back, what it would have caught),
// and only for compare runs: a history run's first inconclusive verdicts stay in the table.
import { describe, expect, it } from 'vitest';
import type { RunReport } from '../../../src/model.js';
import { escapeMarkdown, renderMarkdown } from '../../../src/report/markdown.js';
import { renderTerminal } from '../../../src/report/terminal.js';
import { sampleRun } from '../../fixtures/store/sample-run.js';

const reason =
  'Change +0.40% (95% CI -2.10% to +2.90%): the interval reaches beyond ±1% (per-round noise 3.0% over 24 rounds). At this noise 24 rounds catch a slowdown of 3.4% or more 9 times in 10.';

function withVerdict(kind: 'compare' | 'history'): RunReport {
  const run = sampleRun('r1', [0.01, 0.0101, 0.0099]);
  const b = run.benchmarks[0]!;
  b.verdict = { ...b.verdict!, kind: 'inconclusive', reason, changePct: 0.4, ciLowPct: -2.1, ciHighPct: 2.9 };
  return {
    ...run,
    kind,
    base: kind === 'compare' ? { ...run.head, sha: 'def456' } : null,
    summary: { ...run.summary, unchanged: 0, inconclusive: 1 },
  };
}

describe('inconclusive verdicts in the reports', () => {
  it('a compare report gives each inconclusive benchmark its reason', () => {
    const md = renderMarkdown(withVerdict('compare'));
    expect(md).toContain(`- ${escapeMarkdown('k/impl/fx')}: ${escapeMarkdown(reason)}`);
    expect(md.indexOf('- k/impl/fx:')).toBeLessThan(md.indexOf('</details>'));
    expect(renderTerminal(withVerdict('compare'))).toContain(`  k/impl/fx: ${reason}`);
  });

  it('a history report does not', () => {
    expect(renderMarkdown(withVerdict('history'))).not.toContain('catch a slowdown');
    expect(renderTerminal(withVerdict('history'))).not.toContain('catch a slowdown');
  });
});

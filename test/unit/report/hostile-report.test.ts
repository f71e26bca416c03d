/**
 * A fork writes the report that the publish workflow posts as the bot: random and hostile reports go
 * through `parseUntrustedReport` and every Markdown renderer, and no field may come out as live
 * Markdown or HTML (rendered with markdown-it, HTML and autolinks on, as GitHub would) nor as an
 * @mention, #reference or bare link.
 */
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { checkSummary } from '../../../src/github/check-run.js';
import { fittedMarkdown } from '../../../src/github/comment-body.js';
import { parseUntrustedReport, UntrustedReportError } from '../../../src/github/untrusted-report.js';
import type { RunReport } from '../../../src/model.js';
import { seededRandom } from '../../../src/random.js';
import { escapeMarkdown, renderMarkdown } from '../../../src/report/markdown.js';
import { sampleRun } from '../../fixtures/store/sample-run.js';

const HOSTILE = [
  '# @octocat APPROVED ✅ [merge now](https://evil.example/merge)',
  '![tracker](https://evil.example/pixel.png)',
  '<img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  '<details open><summary>x</summary>',
  '`code` **bold** _it_ ~~gone~~ $\\huge{X}$',
  'see #123 and GH-45, cc @acme/team',
  'www.evil.example and http://evil.example',
  '| cell | break |\n---|---',
  '> quoted\n\n# heading\n- item',
  '[link]: https://evil.example',
  '&lt;b&gt;entity&lt;/b&gt; &#x3C;img&#x3E;',
  '\\`\\*escaped\\*\\`',
  '<https://evil.example>',
];
const ALPHABET = 'ab@#:/.<>&![]()*_`~|\\$-+=\n\t 0123 ünï✓\u202e';

function randomText(random: () => number): string {
  if (random() < 0.4) return HOSTILE[Math.floor(random() * HOSTILE.length)] as string;
  return Array.from(
    { length: 1 + Math.floor(random() * 40) },
    () => ALPHABET[Math.floor(random() * ALPHABET.length)],
  ).join('');
}

/** A compare run with a regressed, an improved and a skipped benchmark whose free text is `text()`. */
function hostileRun(text: () => string): RunReport {
  const run = sampleRun('hostile-1', [1e-3, 1.1e-3]);
  const one = run.benchmarks[0];
  if (one?.state !== 'completed' || one.verdict === null) throw new Error('fixture changed');
  const timeVerdict = one.verdict;
  const kinds = ['regressed', 'improved', 'inconclusive'] as const;
  const compared = kinds.map((kind, i) => ({
    ...one,
    name: `${text()}/${i}`,
    kernel: text(),
    implementation: text(),
    fixture: text(),
    verdict: { ...timeVerdict, kind, changePct: kind === 'improved' ? -4 : 6, reason: text(), method: text() },
  }));
  const skipped = {
    ...one,
    name: `${text()}/s`,
    state: 'skipped' as const,
    reason: text(),
    medianSeconds: null,
    spreadPct: null,
    gflops: null,
    gbps: null,
    verdict: null,
  };
  const benchmarks = [...compared, skipped];
  return {
    ...run,
    kind: 'compare',
    base: { ...run.head, sha: 'f'.repeat(40), message: text(), ref: text() },
    head: { ...run.head, sha: 'e'.repeat(40), message: text(), ref: text() },
    testbed: { ...run.testbed, cpuModel: text(), gpu: text() },
    summary: { regressed: 1, improved: 1, unchanged: 0, inconclusive: 1, errored: 0, skipped: 1 },
    benchmarks,
  };
}

const md = new MarkdownIt({ html: true, linkify: true });
/** The tags benchgate's own templates produce; anything else came from a field. */
const OURS = new Set([
  'h2',
  'code',
  'p',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'ul',
  'li',
  'strong',
  'details',
  'summary',
  'sub',
  'blockquote',
  'br',
]);

function expectInert(markdown: string): void {
  const html = md.render(markdown);
  const tags = [...html.matchAll(/<([a-zA-Z][a-zA-Z0-9]*)/g)].map((m) => (m[1] as string).toLowerCase());
  expect(tags.filter((t) => !OURS.has(t))).toEqual([]);
  expect(tags.filter((t) => t === 'h2').length).toBeLessThanOrEqual(1);
  // GitHub's own autolinks, which markdown-it does not know: mentions, references, bare links.
  expect(markdown).not.toMatch(/(^|[^\w`])@[A-Za-z0-9]/);
  expect(markdown).not.toMatch(/(^|[^\w&])#\d/);
  expect(markdown).not.toMatch(/\bGH-\d/i);
  expect(markdown).not.toMatch(/[A-Za-z]:\/\//);
  expect(markdown).not.toMatch(/\bwww\./i);
}

describe('hostile reports', () => {
  it('escapes a field so it shows as written and links nothing', () => {
    const out = escapeMarkdown('# @octocat APPROVED ✅ [merge now](https://evil.example/x) #12\n![i](www.x.io/p.png)');
    expect(md.renderInline(out).replace(/\u2060/g, '')).toBe(
      '# @octocat APPROVED ✅ [merge now](https://evil.example/x) #12 ![i](www.x.io/p.png)',
    );
    expectInert(out);
  });

  it('leaves no field live in any renderer, over 300 random and hostile reports', () => {
    const random = seededRandom(20261202);
    let rendered = 0;
    for (let trial = 0; trial < 300; trial++) {
      const raw = JSON.stringify(hostileRun(() => randomText(random)));
      let report: RunReport;
      try {
        report = parseUntrustedReport(raw);
      } catch (e) {
        // Refused is fine (a CPU name with a line break, say); anything else is a bug.
        expect(e).toBeInstanceOf(UntrustedReportError);
        continue;
      }
      for (const text of [
        renderMarkdown(report),
        fittedMarkdown(report, { prefix: '<!-- benchgate:comment:default -->' }),
        checkSummary(report, null),
      ]) {
        expectInert(text.replace('<!-- benchgate:comment:default -->', ''));
      }
      rendered++;
    }
    expect(rendered).toBeGreaterThan(80);
  });

  it('refuses testbed and profile fields outside a plain character set', () => {
    const run = sampleRun('hostile-2', [1e-3]);
    const bad = [
      { ...run, testbed: { ...run.testbed, key: 'tb`\n# @octocat' } },
      { ...run, testbed: { ...run.testbed, simd: 'avx2 [x](https://e.x)' } },
      { ...run, testbed: { ...run.testbed, cpuModel: 'EPYC\n# heading' } },
      { ...run, profile: 'quick <img src=x>' },
    ];
    for (const r of bad) expect(() => parseUntrustedReport(JSON.stringify(r))).toThrow(UntrustedReportError);
  });
});

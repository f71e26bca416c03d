/**
 * A regression's differential profile in the report: validated as untrusted input, shown under the
 * regression in the Markdown comment (escaped), and the pass's own rules that need no process: what
 * counts as a regression, the folder names, and a budget too small to profile anything.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BenchmarkProfile, BenchmarkResult, ProfileTreeNode, RunReport } from '../../../src/model.js';
import { isRegression, profileFolderOf, profileRegressions } from '../../../src/profile/profile-pass.js';
import { profileLines, renderMarkdown } from '../../../src/report/markdown.js';
import { validateRun } from '../../../src/validate/run.js';
import { tempDir } from '../../helpers.js';

const PROFILE: BenchmarkProfile = {
  top: [
    {
      function: 'integrateRange',
      file: 'kernels/ode-ensemble/ts-soa.ts',
      line: 7,
      baseMsPerCall: 2,
      headMsPerCall: 6.1,
      deltaMsPerCall: 4.1,
    },
    { function: '(garbage collector)', file: '', line: 0, baseMsPerCall: 0, headMsPerCall: 0.02, deltaMsPerCall: 0.02 },
    {
      function: 'tiny',
      file: 'node:internal/x',
      line: 3,
      baseMsPerCall: 0,
      headMsPerCall: 0.0004,
      deltaMsPerCall: 0.0004,
    },
  ],
  files: {
    base: 'benchgate-profiles/ode-ensemble/ts-soa/s256/base.cpuprofile',
    head: 'benchgate-profiles/ode-ensemble/ts-soa/s256/head.cpuprofile',
  },
  seconds: 2.9,
};

/** A real compare run (test/fixtures/report) with `spin/loop/small` regressed and carrying `profile`. */
function runWith(profile: unknown): Record<string, unknown> & { benchmarks: Record<string, unknown>[] } {
  const run = validateRun(
    JSON.parse(readFileSync(new URL('../../fixtures/report/compare-run-v1.json', import.meta.url), 'utf8')),
  );
  const raw = JSON.parse(JSON.stringify(run)) as Record<string, unknown> & { benchmarks: Record<string, unknown>[] };
  const spin = raw.benchmarks.find((b) => b.name === 'spin/loop/small' && b.presence === 'both')!;
  (spin.verdict as Record<string, unknown>).kind = 'regressed';
  spin.profile = profile;
  return raw;
}

const spinOf = (run: RunReport) => run.benchmarks.find((b) => b.name === 'spin/loop/small' && b.presence === 'both');

describe('validateRun: a result’s profile', () => {
  it('keeps a well-formed profile as it is', () => {
    expect(spinOf(validateRun(runWith(PROFILE)))?.profile).toEqual(PROFILE);
    const skipped = { top: [], files: null, seconds: 0, note: 'not profiled: the budget was spent' };
    expect(spinOf(validateRun(runWith(skipped)))?.profile).toEqual(skipped);
  });

  it('names the field that is wrong', () => {
    const bad = (change: (p: Record<string, unknown>) => void, message: RegExp) => {
      const p = JSON.parse(JSON.stringify(PROFILE)) as Record<string, unknown>;
      change(p);
      expect(() => validateRun(runWith(p))).toThrow(message);
    };
    bad((p) => ((p.files as Record<string, string>).base = '../../etc/passwd'), /profile\.files\.base must be a path/);
    bad(
      (p) => ((p.files as Record<string, string>).head = 'benchgate-profiles/../x/head.cpuprofile'),
      /profile\.files\.head/,
    );
    bad((p) => ((p.top as Record<string, unknown>[])[0]!.line = -1), /profile\.top\[0\]\.line/);
    bad((p) => ((p.top as Record<string, unknown>[])[0]!.function = 'a\nb'), /profile\.top\[0\]\.function/);
    bad((p) => ((p.top as Record<string, unknown>[])[1]!.headMsPerCall = 'x'), /profile\.top\[1\]\.headMsPerCall/);
    bad((p) => (p.top = Array.from({ length: 21 }, () => PROFILE.top[0])), /profile\.top/);
    bad((p) => (p.seconds = -1), /profile\.seconds/);
  });
});

describe('the Markdown comment', () => {
  it('lists the profile lines under the regression, escaped', () => {
    const md = renderMarkdown(validateRun(runWith(PROFILE)));
    const at = md.indexOf('- **spin/loop/small**');
    expect(at).toBeGreaterThan(0);
    expect(md.slice(at)).toMatch(
      /^- \*\*spin\/loop\/small\*\*: [^\n]*\n {2}- \+4\.1 ms\/call in `integrateRange` \(kernels\/ode\\-ensemble\/ts\\-soa\.ts:7\)\n {2}- \+0\.02 ms\/call in \\\(garbage collector\\\)\n {2}- \+0\.4 µs\/call in `tiny` \(node:internal\/x:3\)\n/,
    );
  });

  it('names the path down the call tree along which the time grew, when it runs below the benchmark', () => {
    const node = (fn: string, base: number, head: number, children: ProfileTreeNode[] = []): ProfileTreeNode => ({
      function: fn,
      file: 'bench/deep.ts',
      line: 1,
      baseTotalMsPerCall: base,
      headTotalMsPerCall: head,
      baseSelfMsPerCall: base - children.reduce((s, c) => s + c.baseTotalMsPerCall, 0),
      headSelfMsPerCall: head - children.reduce((s, c) => s + c.headTotalMsPerCall, 0),
      children,
    });
    const leaf = node('leaf', 2, 4);
    const tree = {
      root: node('(all calls)', 3, 5, [node('run', 3, 5, [node('middle', 2, 4, [leaf]), node('own', 1, 1)])]),
      pruned: 0,
    };
    expect(profileLines({ profile: { ...PROFILE, tree } } as unknown as BenchmarkResult).at(-1)).toBe(
      '  - where it grew: `run` → `middle` → `leaf`',
    );
    // Growth in the benchmark's own function says nothing the list does not.
    const flat = { root: node('(all calls)', 3, 5, [node('run', 3, 5)]), pruned: 0 };
    expect(profileLines({ profile: { ...PROFILE, tree: flat } } as unknown as BenchmarkResult)).toHaveLength(3);
  });

  it('says why there is no profile, and escapes a hostile function name', () => {
    const b = { profile: { top: [], files: null, seconds: 0, note: 'not profiled: **budget** spent' } };
    expect(profileLines(b as unknown as BenchmarkResult)).toEqual(['  - not profiled: \\*\\*budget\\*\\* spent']);
    const hostile = {
      profile: { ...PROFILE, top: [{ ...PROFILE.top[0], function: '`x` @admin [a](http://e)', file: '<img>' }] },
    };
    const [line] = profileLines(hostile as unknown as BenchmarkResult);
    expect(line).not.toMatch(/[^\\]`|<img>|\]\(http/);
    expect(line).toMatch(/@\u2060admin/);
  });
});

describe('the profile pass', () => {
  const regressed = validateRun(runWith(undefined)).benchmarks;

  it('profiles a regression of gated time or of a gated measure, nothing else', () => {
    const spin = spinOf({ benchmarks: regressed } as RunReport)!;
    expect(isRegression(spin)).toBe(true);
    expect(isRegression({ ...spin, gated: false } as BenchmarkResult)).toBe(false);
    expect(isRegression({ ...spin, presence: 'added' } as BenchmarkResult)).toBe(false);
    const memory = {
      ...spin,
      verdict: { ...spin.verdict!, kind: 'unchanged' as const },
      measures: [
        {
          measure: 'peak-memory',
          gated: true,
          median: 2,
          baselineMedian: 1,
          verdict: { ...spin.verdict!, kind: 'regressed' as const },
        },
      ],
    };
    expect(isRegression(memory as BenchmarkResult)).toBe(true);
    expect(isRegression({ ...memory, measures: [{ ...memory.measures[0]!, gated: false }] } as BenchmarkResult)).toBe(
      false,
    );
  });

  it('makes each part of a benchmark name a plain folder name', () => {
    expect(profileFolderOf('matmul/ts-naive/n128')).toBe('matmul/ts-naive/n128');
    expect(profileFolderOf('../x/a b:c/..')).toBe('_/x/a_b_c/_');
    expect(profileFolderOf('a//b')).toBe('a/_/b');
  });

  it('profiles nothing within a tiny budget, and says so in the result and the summary', async () => {
    const side = { suite: null, cwd: '/nowhere', root: '/nowhere', profile: 'quick' as const };
    const lines: string[] = [];
    const started = Date.now();
    const { benchmarks, summary } = await profileRegressions(
      regressed,
      { base: { ...side, side: 'base' }, head: { ...side, side: 'head' } },
      { budgetSeconds: 0.5, folder: tempDir('benchgate-profile-pass-'), onStatus: (l) => lines.push(l) },
    );
    expect(Date.now() - started).toBeLessThan(500);
    const note = spinOf({ benchmarks } as RunReport)?.profile?.note;
    expect(note).toMatch(
      /^not profiled: 0\.\d s of the profile budget \(0\.5 s\) left, a profile of both sides takes about \d/,
    );
    expect(summary).toMatchObject({ budgetSeconds: 0.5, profiled: [], notProfiled: [{ name: 'spin/loop/small' }] });
    expect(lines.join('\n')).toMatch(/spin\/loop\/small: not profiled/);
    // Only the regression carries a profile; nothing regressed → no summary at all.
    expect(benchmarks.filter((b) => b.profile !== undefined).map((b) => b.name)).toEqual(['spin/loop/small']);
    const none = await profileRegressions(
      regressed.filter((b) => !isRegression(b)),
      { base: { ...side, side: 'base' }, head: { ...side, side: 'head' } },
      { budgetSeconds: 0.5, folder: '/nowhere' },
    );
    expect(none.summary).toBeNull();
  });
});

import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HarnessError, type Executed, type HarnessContext } from '../../../src/harness/adapter.js';
import { filterArguments, parseVitestReport, vitestAdapter } from '../../../src/harness/vitest.js';
import { ROOT, tempDir } from '../../helpers.js';

const FIXTURES = join(ROOT, 'test', 'fixtures', 'harness', 'vitest');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const report = (name: string): unknown => JSON.parse(fixture(name));

/** A context whose command "runs" by copying a captured report to the `--outputJson` path it was given. */
function replay(o: { json?: string; stdout?: string; stderr?: string; code?: number; only?: string[] | null }) {
  const calls: string[] = [];
  const ctx: HarnessContext = {
    command: 'npx vitest bench --run',
    cwd: tempDir(),
    tempDir: tempDir(),
    only: o.only ?? null,
    exec: async (commandLine): Promise<Executed> => {
      calls.push(commandLine);
      const out = /--outputJson (\S+)$/.exec(commandLine)?.[1];
      if (o.json !== undefined && out !== undefined) copyFileSync(join(FIXTURES, o.json), out);
      return { code: o.code ?? 0, stdout: o.stdout ?? '', stderr: o.stderr ?? '', seconds: 1, killed: null };
    },
  };
  return { ctx, calls };
}

describe('vitest adapter', () => {
  it('reads every benchmark of a captured run: `<file> > <describe> > <bench>`, median ms → seconds, samples', async () => {
    const { ctx, calls } = replay({ json: 'all.json' });
    const figures = await vitestAdapter.run(ctx);
    expect(calls).toEqual([`npx vitest bench --run --outputJson ${join(ctx.tempDir, 'vitest-bench.json')}`]);
    expect(figures).toEqual([
      {
        name: 'bench/sort.bench.ts > sort > numeric compare',
        seconds: 0.160030499999948 / 1000,
        values: {},
        samples: 398,
      },
      {
        name: 'bench/sort.bench.ts > sort > typed array',
        seconds: 0.03592700000001514 / 1000,
        values: {},
        samples: 1255,
      },
      { name: 'bench/strings.bench.ts > split', seconds: 0.00018999999997504347 / 1000, values: {}, samples: 295414 },
      {
        name: 'bench/strings.bench.ts > join > Array.join',
        seconds: 0.006962999999927888 / 1000,
        values: {},
        samples: 10021,
      },
      {
        name: 'bench/strings.bench.ts > join > concat loop',
        seconds: 0.0029260000001158915 / 1000,
        values: {},
        samples: 10535,
      },
      {
        name: 'bench/strings.bench.ts > join > with separator > comma',
        seconds: 0.004979999999932261 / 1000,
        values: {},
        samples: 12546,
      },
    ]);
  });

  it('turns `only` into file filters and one anchored name pattern', async () => {
    const only = ['bench/strings.bench.ts > join > with separator > comma', 'bench/strings.bench.ts > split'];
    expect(filterArguments(only)).toBe(
      " bench/strings.bench.ts --testNamePattern '^(?:join(?: | > )with separator(?: | > )comma|split)$'",
    );
    // The captured run with exactly those arguments ran exactly those two.
    expect(fixture('filtered.stdout.txt')).toContain('Benchmark report written');
    expect(parseVitestReport(report('filtered.json')).map((f) => f.name)).toEqual([
      'bench/strings.bench.ts > split',
      'bench/strings.bench.ts > join > with separator > comma',
    ]);
    expect(filterArguments(['a/x.bench.ts > n (1+1)*2', 'b.bench.ts > $x'])).toBe(
      " a/x.bench.ts b.bench.ts --testNamePattern '^(?:n \\(1\\+1\\)\\*2|\\$x)$'",
    );
  });

  it('runs everything when a name in `only` is not vitest-shaped, and nothing when `only` is empty', async () => {
    expect(filterArguments(['no separator'])).toBe('');
    expect(filterArguments(null)).toBe('');
    const { ctx, calls } = replay({ json: 'all.json', only: [] });
    expect(await vitestAdapter.run(ctx)).toEqual([]);
    expect(calls).toEqual([]);
  });

  it('reports a benchmark that threw as errored (vitest exits 0 and gives it no timings)', () => {
    expect(parseVitestReport(report('throws.json'))).toEqual([
      {
        name: 'bench/throws.bench.ts > parse > ok',
        seconds: 0.00027000000000043656 / 1000,
        values: {},
        samples: 54535,
      },
      {
        name: 'bench/throws.bench.ts > parse > throws',
        seconds: null,
        values: {},
        failure: {
          state: 'errored',
          reason: 'vitest reported no timings: the benchmark threw (vitest does not say why)',
        },
      },
    ]);
  });

  it('fails with vitest’s own words when a bench file does not load (exit 1)', async () => {
    const { ctx } = replay({
      json: 'broken-file.json',
      code: 1,
      stdout: fixture('broken-file.stdout.txt'),
      stderr: fixture('broken-file.stderr.txt'),
    });
    await expect(vitestAdapter.run(ctx)).rejects.toThrow(
      /vitest: `npx vitest bench --run --outputJson .*` exited with code 1:\nFAIL {2}bench\/broken.bench.ts .*\nError: cannot load$/,
    );
  });

  it('fails when the command wrote no report', async () => {
    const { ctx } = replay({});
    await expect(vitestAdapter.run(ctx)).rejects.toThrow(/vitest: .* wrote no benchmark report: is it `vitest bench`/);
  });

  it('falls back to the mean when a report has no median', () => {
    const r = {
      files: [{ groups: [{ fullName: 'a.bench.ts', benchmarks: [{ name: 'x', mean: 2, sampleCount: 4 }] }] }],
    };
    expect(parseVitestReport(r)).toEqual([{ name: 'a.bench.ts > x', seconds: 0.002, values: {}, samples: 4 }]);
  });

  it('names the key of a malformed report', () => {
    const bad = (r: unknown) => () => parseVitestReport(r);
    expect(bad({})).toThrow(new HarnessError("vitest: the benchmark report's 'files' is not an array"));
    expect(bad({ files: [{ groups: [{ fullName: 7, benchmarks: [] }] }] })).toThrow(
      "'files[0].groups[0].fullName' is not a non-empty string",
    );
    expect(bad({ files: [{ groups: [{ fullName: 'f', benchmarks: [{ name: 'x', median: -1 }] }] }] })).toThrow(
      "'files[0].groups[0].benchmarks[0].median' is not a non-negative number",
    );
    expect(bad({ files: [{ groups: [{ fullName: 'f', benchmarks: [{ name: 'x', median: '1' }] }] }] })).toThrow(
      "'files[0].groups[0].benchmarks[0].median' is not a non-negative number",
    );
  });

  it('takes no inherited property for a field (`__proto__` JSON pollutes nothing)', () => {
    const r: unknown = JSON.parse('{"__proto__": {"files": []}}');
    expect(() => parseVitestReport(r)).toThrow("'files' is not an array");
    expect(({} as Record<string, unknown>)['files']).toBeUndefined();
  });

  it('refuses a report that is not JSON', async () => {
    const { ctx } = replay({});
    ctx.exec = async (commandLine) => {
      writeFileSync(/--outputJson (\S+)$/.exec(commandLine)?.[1] ?? '', '{"files": [');
      return { code: 0, stdout: '', stderr: '', seconds: 1, killed: null };
    };
    await expect(vitestAdapter.run(ctx)).rejects.toThrow(/vitest: the benchmark report is not valid JSON/);
  });
});

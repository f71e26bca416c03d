import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HarnessError, type Executed, type HarnessContext } from '../../../src/harness/adapter.js';
import { criterionAdapter, readCriterionHome, withFilter } from '../../../src/harness/criterion.js';
import { ROOT, tempDir } from '../../helpers.js';

const FIXTURES = join(ROOT, 'test', 'fixtures', 'harness', 'criterion');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

/** A context whose command "runs" by copying a captured CRITERION_HOME to where criterion was told to write. */
function replay(o: { home?: string; stdout?: string; stderr?: string; code?: number; only?: string[] | null }) {
  const calls: { commandLine: string; env?: Record<string, string> }[] = [];
  const ctx: HarnessContext = {
    command: 'cargo bench --bench tiny -- --noplot',
    cwd: tempDir(),
    tempDir: tempDir(),
    only: o.only ?? null,
    exec: async (commandLine, e): Promise<Executed> => {
      calls.push({ commandLine, env: e?.env });
      const home = e?.env?.['CRITERION_HOME'];
      if (o.home !== undefined && home !== undefined) cpSync(join(FIXTURES, o.home), home, { recursive: true });
      return { code: o.code ?? 0, stdout: o.stdout ?? '', stderr: o.stderr ?? '', seconds: 1, killed: null };
    },
  };
  return { ctx, calls };
}

/** A copy of a captured CRITERION_HOME to spoil. */
function copyOf(name: string): string {
  const dir = join(tempDir(), 'home');
  cpSync(join(FIXTURES, name), dir, { recursive: true });
  return dir;
}

describe('criterion adapter', () => {
  it('reads every benchmark of a captured run: full id, median ns → seconds, throughputs, samples', async () => {
    const { ctx, calls } = replay({ home: 'all', stdout: fixture('all.stdout.txt') });
    const figures = await criterionAdapter.run(ctx);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.commandLine).toBe('cargo bench --bench tiny -- --noplot');
    expect(calls[0]?.env?.['CRITERION_HOME']).toBe(join(ctx.tempDir, 'criterion'));
    expect(figures.map((f) => f.name)).toEqual(['checksum/1024', 'checksum/16384', 'fib 20', 'fib/iterative/30']);
    const byName = Object.fromEntries(figures.map((f) => [f.name, f]));
    expect(byName['fib 20']).toEqual({ name: 'fib 20', seconds: 14.063030625287855 / 1e9, values: {}, samples: 10 });
    expect(byName['checksum/1024']?.seconds).toBe(443.05864347595474 / 1e9);
    expect(byName['checksum/1024']?.values['throughput']).toBe(1024 / (443.05864347595474 / 1e9));
    expect(byName['checksum/16384']?.values['throughput']).toBe(16384 / (7762.819248826291 / 1e9));
    expect(byName['fib/iterative/30']?.values).toEqual({ 'elements/s': 30 / (19.486881915323302 / 1e9) });
    expect(byName['fib/iterative/30']?.samples).toBe(10);
  });

  it('turns `only` into one anchored, escaped regular expression after cargo’s `--`', () => {
    expect(withFilter('cargo bench', ['fib 20', 'checksum/1024'])).toBe("cargo bench -- '^(?:fib 20|checksum/1024)$'");
    expect(withFilter('cargo bench --bench tiny -- --noplot', ['a.b(c)'])).toBe(
      "cargo bench --bench tiny -- --noplot '^(?:a\\.b\\(c\\))$'",
    );
    expect(withFilter('cargo bench', null)).toBe('cargo bench');
  });

  it('runs nothing when `only` is empty', async () => {
    const { ctx, calls } = replay({ home: 'all', only: [] });
    expect(await criterionAdapter.run(ctx)).toEqual([]);
    expect(calls).toHaveLength(0);
  });

  it('keeps what finished before a panicking benchmark and reports that one errored', async () => {
    const { ctx } = replay({
      home: 'panics',
      code: 101,
      stdout: fixture('panics.stdout.txt'),
      stderr: fixture('panics.stderr.txt'),
    });
    const figures = await criterionAdapter.run(ctx);
    expect(figures).toEqual([
      { name: 'fine', seconds: 5.66091248957319 / 1e9, values: {}, samples: 10 },
      {
        name: 'broken',
        seconds: null,
        values: {},
        failure: { state: 'errored', reason: 'panicked at benches/panics.rs:12:17: index out of range on purpose' },
      },
    ]);
  });

  it('fails naming the command when cargo fails before any benchmark ran', async () => {
    const { ctx } = replay({ code: 101, stderr: 'error[E0425]: cannot find value `x` in this scope' });
    await expect(criterionAdapter.run(ctx)).rejects.toThrow(
      /criterion: `cargo bench --bench tiny -- --noplot` exited with code 101:\nerror\[E0425\]/,
    );
  });

  it('fails when the bench binary fails after its last benchmark finished', async () => {
    const { ctx } = replay({ home: 'panics', code: 101, stdout: 'Benchmarking fine\nBenchmarking fine: Analyzing\n' });
    await expect(criterionAdapter.run(ctx)).rejects.toThrow(/exited with code 101/);
  });

  it('fails when a successful command saved no results', async () => {
    const { ctx } = replay({});
    await expect(criterionAdapter.run(ctx)).rejects.toThrow(/criterion: .* saved no results under CRITERION_HOME/);
  });

  it('fails on a timeout even when some results were saved', async () => {
    const { ctx } = replay({ home: 'all' });
    const exec = ctx.exec;
    ctx.exec = async (c, e) => ({ ...(await exec(c, e)), code: null, killed: 'timed out after 60 s' });
    await expect(criterionAdapter.run(ctx)).rejects.toThrow(/timed out after 60 s/);
  });
});

describe('reading a CRITERION_HOME', () => {
  it('reads only `new/` results, not `base/` nor reports', () => {
    expect(readCriterionHome(join(FIXTURES, 'panics')).map((f) => f.name)).toEqual(['fine']);
  });

  it('names the file and key of a missing or bad median', () => {
    const home = copyOf('panics');
    writeFileSync(join(home, 'fine/new/estimates.json'), '{"median": {"point_estimate": "fast"}}');
    expect(() => readCriterionHome(home)).toThrow(
      new HarnessError("criterion: fine/new/estimates.json: 'median.point_estimate' is not a non-negative number"),
    );
    rmSync(join(home, 'fine/new/estimates.json'));
    expect(() => readCriterionHome(home)).toThrow('criterion: fine/new/estimates.json is missing');
  });

  it('names a file that is not JSON, or not an object', () => {
    const home = copyOf('panics');
    writeFileSync(join(home, 'fine/new/benchmark.json'), '{"full_id": ');
    expect(() => readCriterionHome(home)).toThrow(/criterion: fine\/new\/benchmark.json is not valid JSON/);
    writeFileSync(join(home, 'fine/new/benchmark.json'), '[]');
    expect(() => readCriterionHome(home)).toThrow('criterion: fine/new/benchmark.json does not hold a JSON object');
  });

  it('takes no inherited property for a field (`__proto__` JSON pollutes nothing)', () => {
    const home = copyOf('panics');
    writeFileSync(join(home, 'fine/new/benchmark.json'), '{"__proto__": {"full_id": "evil"}}');
    expect(() => readCriterionHome(home)).toThrow(
      "criterion: fine/new/benchmark.json: 'full_id' is not a non-empty string",
    );
    expect(({} as Record<string, unknown>)['full_id']).toBeUndefined();
  });

  it('ignores throughput shapes it does not know and reads newer ones', () => {
    const home = copyOf('panics');
    const id = (throughput: unknown) =>
      writeFileSync(join(home, 'fine/new/benchmark.json'), JSON.stringify({ full_id: 'fine', throughput }));
    id({ Frobs: 3 });
    expect(readCriterionHome(home)[0]?.values).toEqual({});
    id({ ElementsAndBytes: { elements: 2, bytes: 8 } });
    const seconds = 5.66091248957319 / 1e9;
    expect(readCriterionHome(home)[0]?.values).toEqual({ throughput: 8 / seconds, 'elements/s': 2 / seconds });
    id({ BytesDecimal: 1000 });
    expect(readCriterionHome(home)[0]?.values).toEqual({ throughput: 1000 / seconds });
  });

  it('reports a custom measurement in its own unit per call, and drops a unit that makes no measure name', () => {
    const home = copyOf('panics');
    const csv = (unit: string) =>
      writeFileSync(
        join(home, 'fine/new/raw.csv'),
        `group,function,value,throughput_num,throughput_type,sample_measured_value,unit,iteration_count\nfine,,,,,3.0,${unit},1\n`,
      );
    csv('cycles');
    expect(readCriterionHome(home)[0]).toMatchObject({ seconds: null, values: { 'cycles/op': 5.66091248957319 } });
    csv('µ cycles');
    expect(readCriterionHome(home)[0]).toMatchObject({ seconds: null, values: {} });
  });

  it('refuses an oversized result file and does not follow symbolic links', async () => {
    const home = copyOf('panics');
    writeFileSync(join(home, 'fine/new/sample.json'), ' '.repeat(16 * 1024 * 1024 + 1));
    expect(() => readCriterionHome(home)).toThrow(/criterion: fine\/new\/sample.json is 16777217 bytes, more than/);
    const { symlinkSync } = await import('node:fs');
    const other = join(tempDir(), 'home');
    mkdirSync(other);
    symlinkSync(join(FIXTURES, 'all'), join(other, 'linked'));
    expect(readCriterionHome(other)).toEqual([]);
  });
});

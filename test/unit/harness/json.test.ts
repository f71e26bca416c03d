/** The json harness: documents captured from the example script and a python one-liner, and what it refuses. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HarnessError, type Executed, type HarnessContext } from '../../../src/harness/adapter.js';
import { MAX_DOCUMENT_BYTES, jsonAdapter, parseJsonDocument } from '../../../src/harness/json.js';
import { ROOT, tempDir } from '../../helpers.js';

const fixture = (name: string) => readFileSync(join(ROOT, 'test', 'fixtures', 'harness', 'json', name), 'utf8');

describe('parseJsonDocument', () => {
  it('reads the wrapped form: time as seconds, every other figure by its measure', () => {
    expect(parseJsonDocument(fixture('wrapped.json'), 'stdout')).toEqual([
      {
        name: 'sort/1k',
        seconds: 0.00026367913499999985,
        values: { 'items/s': 3792488.169380564, 'peak-memory': 50548736 },
      },
      { name: 'json/roundtrip', seconds: 0.000004126890000000003, values: { 'bytes/op': 61 } },
    ]);
  });

  it('reads what a command wrote for BENCHGATE_ONLY', () => {
    expect(parseJsonDocument(fixture('stdout-only.json'), 'stdout')).toEqual([
      { name: 'json/roundtrip', seconds: 0.000002418935000000033, values: { 'bytes/op': 61 } },
    ]);
  });

  it('reads the bare form', () => {
    expect(parseJsonDocument(fixture('bare.json'), 'stdout')).toEqual([
      {
        name: 'sorted/100k',
        seconds: 0.009773977999429917,
        values: { 'peak-memory': 13602816, 'counter:items': 100000 },
      },
    ]);
  });

  it('keeps a benchmark without time, its seconds null', () => {
    expect(parseJsonDocument('{"benchmarks": {"a": {"allocations": 3}}, "tool": "x"}', 'stdout')).toEqual([
      { name: 'a', seconds: null, values: { allocations: 3 } },
    ]);
  });

  it('takes keys named __proto__ as plain data, polluting nothing', () => {
    const figures = parseJsonDocument('{"__proto__": {"time": 1, "counter:__proto__": 2}}', 'stdout');
    expect(figures).toEqual([{ name: '__proto__', seconds: 1, values: { 'counter:__proto__': 2 } }]);
    expect(({} as Record<string, unknown>).time).toBeUndefined();
    expect(() => parseJsonDocument('{"a": {"__proto__": {"polluted": 1}}}', 'stdout')).toThrow(
      'json: stdout ["a"]["__proto__"]: not a measure',
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ['', 'json: the command wrote nothing, neither to $BENCHGATE_OUTPUT nor to stdout'],
    ['Running...\n{"a": {}}', 'json: stdout is not JSON ('],
    ['[1, 2]', 'json: stdout (document): must be an object but got an array'],
    ['{"benchmarks": 3}', 'json: stdout benchmarks: must be an object but got 3'],
    ['{"benchmarks": {"a": [0.1]}}', 'json: stdout benchmarks["a"]: must be an object but got an array'],
    ['{"a": 0.1}', 'json: stdout ["a"]: must be an object but got 0.1'],
    ['{"benchmarks": {"": {"time": 1}}}', 'json: stdout benchmarks[""]: a name must be 1–200 characters'],
    ['{"benchmarks": {"a\\nb": {"time": 1}}}', 'json: stdout benchmarks["a\\nb"]: a name must be 1–200 characters'],
    [`{"${'x'.repeat(201)}": {}}`, 'a name must be 1–200 characters without control characters'],
    ['{"a": {"duration": 1}}', 'json: stdout ["a"]["duration"]: not a measure (time, peak-memory,'],
    ['{"a": {"ms": 1}}', 'json: stdout ["a"]["ms"]: not a measure'],
    ['{"a": {"time": -1}}', 'json: stdout ["a"]["time"]: must be a non-negative number but got -1'],
    ['{"a": {"time": "1.5"}}', 'json: stdout ["a"]["time"]: must be a non-negative number but got "1.5"'],
    ['{"a": {"time": null}}', 'must be a non-negative number but got null'],
    [
      '{"a": {"peak-memory": 1e400}}',
      'json: stdout ["a"]["peak-memory"]: must be a non-negative number but got Infinity',
    ],
  ])('refuses %j', (text, message) => {
    const parse = () => parseJsonDocument(text, 'stdout');
    expect(parse).toThrow(HarnessError);
    expect(parse).toThrow(message);
  });

  it('refuses more than 10 000 benchmarks and documents over the size cap', () => {
    const many = Object.fromEntries(Array.from({ length: 10_001 }, (_, i) => [`b${i}`, {}]));
    expect(() => parseJsonDocument(JSON.stringify(many), 'stdout')).toThrow(
      'json: stdout has 10001 benchmarks, more than 10000',
    );
    const huge = `{"a": {"time": 1}, "pad": "${'x'.repeat(MAX_DOCUMENT_BYTES)}"}`;
    expect(() => parseJsonDocument(huge, 'stdout')).toThrow(`json: stdout is more than ${MAX_DOCUMENT_BYTES} bytes`);
  });
});

describe('jsonAdapter.run', () => {
  const done = (stdout = ''): Executed => ({ code: 0, stdout, stderr: '', seconds: 0.1, killed: null });

  function context(only: string[] | null, answer: (env: Record<string, string>) => Executed) {
    const calls: { line: string; env: Record<string, string> }[] = [];
    const ctx: HarnessContext = {
      command: 'node bench.mjs',
      cwd: '/nowhere',
      tempDir: tempDir('benchgate-json-unit-'),
      only,
      exec: async (line, o) => {
        calls.push({ line, env: o?.env ?? {} });
        return answer(o?.env ?? {});
      },
    };
    return { ctx, calls };
  }

  it('passes BENCHGATE_OUTPUT and BENCHGATE_ONLY, and reads the file it names', async () => {
    const { ctx, calls } = context(['a', 'b c'], (env) => {
      writeFileSync(env.BENCHGATE_OUTPUT as string, '{"a": {"time": 0.5}}');
      return done('ignored log line');
    });
    expect(await jsonAdapter.run(ctx)).toEqual([{ name: 'a', seconds: 0.5, values: {} }]);
    expect(calls).toEqual([
      { line: 'node bench.mjs', env: { BENCHGATE_OUTPUT: join(ctx.tempDir, 'out.json'), BENCHGATE_ONLY: 'a\nb c' } },
    ]);
  });

  it('reads stdout when the file is absent, and sets no BENCHGATE_ONLY for all benchmarks', async () => {
    const { ctx, calls } = context(null, () => done('{"a": {"time": 0.25}}\n'));
    expect(await jsonAdapter.run(ctx)).toEqual([{ name: 'a', seconds: 0.25, values: {} }]);
    expect(Object.keys(calls[0]?.env ?? {})).toEqual(['BENCHGATE_OUTPUT']);
  });

  it('names the output file in its errors', async () => {
    const { ctx } = context(null, (env) => {
      writeFileSync(env.BENCHGATE_OUTPUT as string, '{"a": {"time": true}}');
      return done();
    });
    await expect(jsonAdapter.run(ctx)).rejects.toThrow(
      'json: $BENCHGATE_OUTPUT ["a"]["time"]: must be a non-negative number but got true',
    );
  });

  it('refuses an output path that is not a plain file', async () => {
    const { ctx } = context(null, (env) => {
      mkdirSync(env.BENCHGATE_OUTPUT as string);
      return done();
    });
    await expect(jsonAdapter.run(ctx)).rejects.toThrow('is not a plain file');
  });

  it('fails on a non-zero exit, with the end of stderr', async () => {
    const { ctx } = context(null, () => ({ ...done(), code: 2, stderr: 'Error: cannot find module' }));
    await expect(jsonAdapter.run(ctx)).rejects.toThrow(
      'json: `node bench.mjs` exited with code 2:\nError: cannot find module',
    );
  });

  it('runs nothing when no benchmark is asked for', async () => {
    const { ctx, calls } = context([], () => done());
    expect(await jsonAdapter.run(ctx)).toEqual([]);
    expect(calls).toEqual([]);
  });
});

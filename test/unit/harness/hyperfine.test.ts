/** Reading hyperfine's --export-json: files captured from hyperfine 1.15, and what it refuses. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HarnessError, type Executed, type HarnessContext } from '../../../src/harness/adapter.js';
import { hyperfineAdapter, parseHyperfineExport } from '../../../src/harness/hyperfine.js';
import { ROOT, tempDir } from '../../helpers.js';

const fixture = (name: string) => readFileSync(join(ROOT, 'test', 'fixtures', 'harness', 'hyperfine', name), 'utf8');

describe('parseHyperfineExport', () => {
  it('reads each command: its median seconds and its number of timed runs', () => {
    expect(parseHyperfineExport(fixture('basic.json'))).toEqual([
      { name: 'sleep 0.01', seconds: 0.011839561, values: {}, samples: 5 },
      { name: 'sleep 0.02', seconds: 0.021658292000000003, values: {}, samples: 5 },
    ]);
  });

  it('names a command by its --command-name, with the parameter filled in', () => {
    expect(parseHyperfineExport(fixture('named-params.json'))).toEqual([
      { name: 'nap-1', seconds: 0.011803153, values: {}, samples: 3 },
      { name: 'nap-2', seconds: 0.021783617, values: {}, samples: 3 },
    ]);
  });

  it('keeps commands that exited non-zero under -i: the user said that is expected', () => {
    expect(parseHyperfineExport(fixture('failing.json'))).toEqual([
      { name: 'false', seconds: 0.001833187, values: {}, samples: 3 },
      { name: 'true', seconds: 0.001683487, values: {}, samples: 3 },
    ]);
  });

  it('reads a single run (its stddev null)', () => {
    expect(parseHyperfineExport(fixture('single-run.json'))).toEqual([
      { name: 'sleep 0.005', seconds: 0.006544641, values: {}, samples: 1 },
    ]);
  });

  it('refuses the empty file hyperfine leaves when it aborts', () => {
    expect(() => parseHyperfineExport(fixture('aborted-empty.json'))).toThrow(
      'hyperfine: the --export-json file is empty',
    );
  });

  // Newer hyperfines add each run's peak RSS; this document follows their BenchmarkResult
  // (`memory_usage_byte: Option<Vec<u64>>`), as the Debian hyperfine 1.15 here has none to capture.
  it('takes the median of memory_usage_byte as peak-memory', () => {
    const doc = {
      results: [
        {
          command: 'my-tool',
          mean: 0.2,
          stddev: 0.01,
          median: 0.19,
          user: 0.1,
          system: 0.05,
          min: 0.18,
          max: 0.22,
          times: [0.18, 0.19, 0.22],
          memory_usage_byte: [4_300_800, 4_194_304, 4_456_448],
          exit_codes: [0, 0, 0],
        },
      ],
    };
    expect(parseHyperfineExport(JSON.stringify(doc))).toEqual([
      { name: 'my-tool', seconds: 0.19, values: { 'peak-memory': 4_300_800 }, samples: 3 },
    ]);
  });

  it('falls back to the mean where there is no median', () => {
    expect(parseHyperfineExport('{"results": [{"command": "a", "mean": 0.5}]}')).toEqual([
      { name: 'a', seconds: 0.5, values: {} },
    ]);
  });

  it.each([
    ['not json', 'hyperfine: the --export-json file is not JSON ('],
    ['[]', 'hyperfine: the --export-json file has no results[] list'],
    ['{"results": {}}', 'has no results[] list'],
    ['{"results": [3]}', 'hyperfine: results[0] is not an object'],
    ['{"results": [{"median": 1}]}', 'hyperfine: results[0].command must be a name of 1–1000 characters'],
    ['{"results": [{"command": "a\\u001b[31m", "median": 1}]}', 'results[0].command must be a name'],
    [
      '{"results": [{"command": "a"}]}',
      'hyperfine: results[0].mean must be a non-negative number of seconds but got undefined',
    ],
    [
      '{"results": [{"command": "a", "median": -0.1}]}',
      'results[0].median must be a non-negative number of seconds but got -0.1',
    ],
    [
      '{"results": [{"command": "a", "median": "1"}]}',
      'results[0].median must be a non-negative number of seconds but got "1"',
    ],
    ['{"results": [{"command": "a", "median": 1e999}]}', 'but got Infinity'],
    [
      '{"results": [{"command": "a", "median": 1, "times": 3}]}',
      'results[0].times must be a list of numbers but got 3',
    ],
    [
      '{"results": [{"command": "a", "median": 1, "times": [1, null]}]}',
      'results[0].times[1] must be a non-negative number but got null',
    ],
    [
      '{"results": [{"command": "a", "median": 1, "memory_usage_byte": [-5]}]}',
      'results[0].memory_usage_byte[0] must be a non-negative number but got -5',
    ],
    [
      '{"results": [{"command": "a", "median": 1}, {"command": "a", "median": 2}]}',
      'hyperfine: two commands are both named "a"; give each its own --command-name',
    ],
  ])('refuses %s', (text, message) => {
    const parse = () => parseHyperfineExport(text);
    expect(parse).toThrow(HarnessError);
    expect(parse).toThrow(message);
  });

  it('refuses more than 10 000 results', () => {
    const results = Array.from({ length: 10_001 }, (_, i) => ({ command: `c${i}`, median: 1 }));
    expect(() => parseHyperfineExport(JSON.stringify({ results }))).toThrow('10001 results, more than 10000');
  });

  it('does not let a hostile export reach Object.prototype', () => {
    const figures = parseHyperfineExport('{"results": [{"command": "__proto__", "median": 1, "__proto__": {"x": 1}}]}');
    expect(figures.map((f) => f.name)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});

describe('hyperfineAdapter.run', () => {
  function context(command: string, answer: (line: string) => Executed) {
    const lines: string[] = [];
    const ctx: HarnessContext = {
      command,
      cwd: '/nowhere',
      tempDir: tempDir('benchgate-hyperfine-unit-'),
      only: ['sleep 0.01'],
      exec: async (line) => {
        lines.push(line);
        return answer(line);
      },
    };
    return { ctx, lines };
  }
  const done: Executed = { code: 0, stdout: '', stderr: '', seconds: 1, killed: null };

  it('appends --export-json and reads every result (benchgate filters, hyperfine cannot)', async () => {
    const { ctx, lines } = context("hyperfine -N 'sleep 0.01' 'sleep 0.02'", (line) => {
      writeFileSync(line.split(' --export-json ')[1] as string, fixture('basic.json'));
      return done;
    });
    expect((await hyperfineAdapter.run(ctx)).map((f) => f.name)).toEqual(['sleep 0.01', 'sleep 0.02']);
    expect(lines).toEqual([`hyperfine -N 'sleep 0.01' 'sleep 0.02' --export-json ${join(ctx.tempDir, 'out.json')}`]);
  });

  it('fails with hyperfine’s message when it exits non-zero', async () => {
    const { ctx } = context('hyperfine -N false', () => ({
      ...done,
      code: 1,
      stderr: "Error: Command terminated with non-zero exit code: 1. Use the '-i'/'--ignore-failure' option",
    }));
    await expect(hyperfineAdapter.run(ctx)).rejects.toThrow('Command terminated with non-zero exit code: 1');
  });

  it('fails naming the missing export when the command is not hyperfine', async () => {
    const { ctx } = context('echo hello', () => done);
    await expect(hyperfineAdapter.run(ctx)).rejects.toThrow('hyperfine: the command wrote no --export-json file');
  });

  it('refuses a command that already has --export-json', async () => {
    const { ctx, lines } = context('hyperfine true --export-json mine.json', () => done);
    await expect(hyperfineAdapter.run(ctx)).rejects.toThrow('leave --export-json out of the command');
    expect(lines).toEqual([]);
  });
});

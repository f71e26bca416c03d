/** The command harness's reading of its timing wrapper, and its fallback without python3, on a scripted shell runner. */
import { describe, expect, it } from 'vitest';
import type { Executed, HarnessContext } from '../../../src/harness/adapter.js';
import { HarnessError } from '../../../src/harness/adapter.js';
import { commandAdapter } from '../../../src/harness/command.js';

const ok = (stdout = '', seconds = 0.01): Executed => ({ code: 0, stdout, stderr: '', seconds, killed: null });

/** A context whose runner answers the python3 probe with `python`, then the wrapper (or each plain run) from `answers`. */
function context(python: boolean, answers: Executed[]): { ctx: HarnessContext; lines: string[] } {
  const lines: string[] = [];
  const ctx: HarnessContext = {
    command: 'my-tool --version',
    cwd: '/nowhere',
    tempDir: '/nowhere',
    only: null,
    exec: async (line) => {
      lines.push(line);
      if (lines.length === 1) return python ? ok() : { ...ok(), code: 127, stderr: 'python3: not found' };
      const a = answers.shift();
      if (!a) throw new Error('ran more often than scripted');
      return a;
    },
  };
  return { ctx, lines };
}

describe('commandAdapter', () => {
  it('takes the median wall time and peak RSS of the timed runs, the warm-up runs left out', async () => {
    const wrapper = [
      '900000000 900000 0',
      '30000000 41000000 0',
      '10000000 40000000 0',
      '20000000 42000000 0',
      '',
    ].join('\n');
    const { ctx, lines } = context(true, [ok(wrapper)]);
    const figures = await commandAdapter({ name: 'cli/startup', runs: 3, warmup: 1 }).run(ctx);
    expect(figures).toEqual([{ name: 'cli/startup', seconds: 0.02, values: { 'peak-memory': 41000000 }, samples: 3 }]);
    expect(lines[1]).toMatch(/^python3 -c '.*' 'my-tool --version' 4$/s);
  });

  it('defaults to 1 warm-up run and 5 timed runs', async () => {
    const wrapper = Array.from({ length: 6 }, (_, i) => `${(i + 1) * 1e6} 1024 0`).join('\n');
    const { ctx, lines } = context(true, [ok(wrapper)]);
    const [f] = await commandAdapter({ name: 'x' }).run(ctx);
    expect(lines[1]).toMatch(/ 6$/);
    expect(f?.samples).toBe(5);
    expect(f?.seconds).toBe(0.004);
  });

  it('reports a failing run as errored with its exit code and stderr tail', async () => {
    const { ctx } = context(true, [{ ...ok('5000000 1024 0\n6000000 2048 2\n'), stderr: 'line 1\nbad flag --x\n' }]);
    const [f] = await commandAdapter({ name: 'x', runs: 2 }).run(ctx);
    expect(f).toEqual({
      name: 'x',
      seconds: null,
      values: {},
      failure: { state: 'errored', reason: 'run 2 of 3 exited with code 2:\nline 1\nbad flag --x' },
    });
  });

  it('reports a run killed by a signal', async () => {
    const { ctx } = context(true, [ok('5000000 1024 -9\n')]);
    const [f] = await commandAdapter({ name: 'x' }).run(ctx);
    expect(f?.failure?.reason).toBe('run 1 of 6 was killed by signal 9');
  });

  it('without python3, times each run through the shell runner and leaves peak memory out', async () => {
    const { ctx, lines } = context(false, [ok('', 9), ok('', 0.3), ok('', 0.1), ok('', 0.2)]);
    const [f] = await commandAdapter({ name: 'x', runs: 3 }).run(ctx);
    expect(f).toEqual({ name: 'x', seconds: 0.2, values: {}, samples: 3 });
    expect(lines[1]).toBe('exec >/dev/null\nmy-tool --version');
  });

  it('without python3, reports the first failing run', async () => {
    const { ctx } = context(false, [ok(), { ...ok(), code: null, killed: 'timed out after 5 s' }]);
    const [f] = await commandAdapter({ name: 'x' }).run(ctx);
    expect(f?.failure?.reason).toBe('run 2 of 6 timed out after 5 s');
  });

  it('probes for python3 once per configured benchmark', async () => {
    const { ctx, lines } = context(true, [ok('1000 1024 0\n1000 1024 0\n'), ok('1000 1024 0\n1000 1024 0\n')]);
    const adapter = commandAdapter({ name: 'x', runs: 1 });
    await adapter.run(ctx);
    await adapter.run(ctx);
    expect(lines.filter((l) => l.endsWith("time.perf_counter_ns'"))).toHaveLength(1);
  });

  it('reports a wrapper timed out as errored', async () => {
    const { ctx } = context(true, [{ ...ok(), code: null, killed: 'timed out after 1 s', stderr: 'waiting…' }]);
    const [f] = await commandAdapter({ name: 'x' }).run(ctx);
    expect(f?.failure).toEqual({ state: 'errored', reason: 'timed out after 1 s:\nwaiting…' });
  });

  it.each([
    ['a line it cannot read', ok('12 ms\n'), 'wrote an unexpected line "12 ms"'],
    ['more lines than runs', ok('1 1 0\n'.repeat(7)), 'wrote an unexpected line "1 1 0"'],
    ['fewer lines than runs', ok('1 1 0\n'), 'reported 1 of 6 runs'],
    ['a wrapper that crashed', { ...ok(), code: 1, stderr: 'Traceback…\nOSError: boom' }, 'exited with code 1:'],
  ])('fails with a HarnessError on %s', async (_, answer, message) => {
    const { ctx } = context(true, [answer]);
    const run = commandAdapter({ name: 'cli/x' }).run(ctx);
    await expect(run).rejects.toThrow(HarnessError);
    await expect(run).rejects.toThrow(`command 'cli/x': `);
    await expect(run).rejects.toThrow(message);
  });

  it('leaves peak memory out when a run reports none', async () => {
    const { ctx } = context(true, [ok('1000 0 0\n2000 0 0\n')]);
    const [f] = await commandAdapter({ name: 'x', runs: 1 }).run(ctx);
    expect(f?.values).toEqual({});
  });

  it('runs nothing when only other benchmarks are asked for', async () => {
    const { ctx, lines } = context(true, []);
    expect(await commandAdapter({ name: 'x' }).run({ ...ctx, only: ['y'] })).toEqual([]);
    expect(lines).toEqual([]);
  });

  it.each([
    [{ runs: 0 }, 'runs must be a whole number ≥ 1 but got 0'],
    [{ runs: 2.5 }, 'runs must be a whole number ≥ 1 but got 2.5'],
    [{ warmup: -1 }, 'warmup must be a whole number ≥ 0 but got -1'],
  ])('rejects %j', (bad, message) => {
    expect(() => commandAdapter({ name: 'x', ...bad })).toThrow(message);
  });
});

/**
 * The pytest-benchmark adapter running the real harness (Debian's python3-pytest-benchmark) on
 * the example project, in a temporary copy so that pytest's caches stay out of the repository.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../../src/harness/adapter.js';
import { execShell } from '../../../src/harness/exec.js';
import { pytestBenchmarkAdapter } from '../../../src/harness/pytest-benchmark.js';
import { runHarnessOnce } from '../../../src/harness/run-once.js';
import { ROOT, tempDir } from '../../helpers.js';

const PYTHON = '/usr/bin/python3';
const COMMAND = `${PYTHON} -m pytest benchmarks -q`;
const available = spawnSync(PYTHON, ['-c', 'import pytest_benchmark'], { stdio: 'ignore' }).status === 0;

/** A fresh copy of examples/pytest-benchmark. */
function exampleCopy(): string {
  const dir = tempDir('benchgate-pytest-example-');
  cpSync(join(ROOT, 'examples', 'pytest-benchmark'), dir, { recursive: true });
  return dir;
}

const run = (cwd: string, only: string[] | null) =>
  runHarnessOnce(pytestBenchmarkAdapter, { command: COMMAND, cwd, only, timeoutMs: 60_000 });

const CHECKSUM_1K = 'benchmarks/test_kernels.py::test_checksum[1k]';
const CHECKSUM_10K = 'benchmarks/test_kernels.py::test_checksum[10k]';
const SORT = 'benchmarks/test_kernels.py::test_sort';

describe.skipIf(!available)(
  'pytest-benchmark harness on the example project (skipped where /usr/bin/python3 lacks python3-pytest-benchmark)',
  () => {
    it('times every benchmark once, even though the project disables them for plain test runs', async () => {
      const figures = await run(exampleCopy(), null);
      expect(figures.map((f) => f.name)).toEqual([CHECKSUM_1K, CHECKSUM_10K, SORT]);
      for (const f of figures) {
        expect(f.seconds).toBeGreaterThan(1e-7);
        expect(f.seconds).toBeLessThan(0.05);
        expect(f.samples).toBeGreaterThanOrEqual(5);
        expect(f.failure).toBeUndefined();
      }
      expect(figures.map((f) => f.values)).toEqual([{ 'counter:items': 1000 }, { 'counter:items': 10000 }, {}]);
      const [small, large] = figures;
      expect(large?.seconds).toBeGreaterThan(3 * (small?.seconds ?? 1));
    });

    it('runs only the selected parametrised benchmark', async () => {
      const cwd = exampleCopy();
      // The adapter itself, so that what pytest ran is seen before benchgate drops the rest.
      const figures = await pytestBenchmarkAdapter.run({
        command: COMMAND,
        cwd,
        tempDir: tempDir(),
        only: [CHECKSUM_10K],
        exec: (commandLine, o) => execShell(commandLine, { cwd, timeoutMs: 60_000, env: o?.env }),
      });
      expect(figures.map((f) => f.name)).toEqual([CHECKSUM_10K]);
      expect(figures[0]?.values).toEqual({ 'counter:items': 10000 });
    });

    it('reports a failing benchmark errored with its reason, and the others measured', async () => {
      const cwd = exampleCopy();
      writeFileSync(
        join(cwd, 'benchmarks', 'test_broken.py'),
        'def test_broken(benchmark):\n    benchmark(lambda: 1 / 0)\n',
      );
      const figures = await run(cwd, [SORT, 'benchmarks/test_broken.py::test_broken']);
      expect(figures).toHaveLength(2);
      expect(figures[0]?.name).toBe(SORT);
      expect(figures[0]?.failure).toBeUndefined();
      expect(figures[0]?.seconds).toBeGreaterThan(0);
      expect(figures[1]).toEqual({
        name: 'benchmarks/test_broken.py::test_broken',
        seconds: null,
        values: {},
        failure: { state: 'errored', reason: 'ZeroDivisionError: division by zero' },
      });
    });

    it('fails naming the collection error', async () => {
      const cwd = exampleCopy();
      writeFileSync(join(cwd, 'benchmarks', 'test_broken.py'), 'import no_such_module_here\n');
      const e = await run(cwd, null).catch((err: unknown) => err);
      expect(e).toBeInstanceOf(HarnessError);
      expect((e as Error).message).toMatch(/exited with code 2: pytest was interrupted/);
      expect((e as Error).message).toContain("No module named 'no_such_module_here'");
    });
  },
);

/** The go harness on the real `go test -bench` and the example module (examples/go): a full run, a narrowed one, failures. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { goAdapter } from '../../../src/harness/go.js';
import { execShell } from '../../../src/harness/exec.js';
import { runHarnessOnce } from '../../../src/harness/run-once.js';
import { exampleHarness, ROOT } from '../../helpers.js';

const EXAMPLE = join(ROOT, 'examples', 'go');
const config = exampleHarness(EXAMPLE);
const CHECKSUM = 'example.com/benchgate-example/checksum';
const TEXTUTIL = 'example.com/benchgate-example/textutil';

const hasGo = (() => {
  try {
    execFileSync('go', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

// Never download a newer toolchain: the example module asks for go 1.19.
process.env.GOTOOLCHAIN ??= 'local';

/** The config's command, each benchmark timed for 50 ms instead of Go's 1 s (a flag after the packages, as users write it). */
const QUICK = `${config.command} -benchtime=50ms`;

function once(command: string, only: string[] | null = null) {
  return runHarnessOnce(goAdapter, { command, cwd: EXAMPLE, only, timeoutMs: 120_000 });
}

describe('the go harness', () => {
  it.skipIf(!hasGo)("runs the example module's benchmarks and reads every figure (needs go)", async () => {
    const figures = await once(QUICK);
    const f = new Map(figures.map((x) => [x.name, x]));
    expect([...f.keys()].sort()).toEqual(
      [
        `${CHECKSUM}/BenchmarkFletcher16`,
        `${CHECKSUM}/BenchmarkFrames`,
        `${TEXTUTIL}/BenchmarkRepeat/n=64`,
        `${TEXTUTIL}/BenchmarkRepeat/n=1024`,
        `${TEXTUTIL}/BenchmarkRepeat/chunk-4`,
        `${TEXTUTIL}/BenchmarkNeedsGPU`,
        `${TEXTUTIL}/BenchmarkFlaky`,
      ].sort(),
    );
    for (const x of figures.filter((y) => !y.name.endsWith('NeedsGPU'))) {
      expect(x.failure).toBeUndefined();
      expect(x.samples).toBe(1);
      expect(x.seconds).toBeGreaterThan(1e-9);
      expect(x.seconds).toBeLessThan(1e-2);
    }
    // The allocations of strings.Join are exact: one slice of n strings and one result string.
    expect(f.get(`${TEXTUTIL}/BenchmarkRepeat/n=64`)?.values).toEqual({ allocated: 1216, allocations: 2 });
    expect(f.get(`${TEXTUTIL}/BenchmarkRepeat/chunk-4`)?.values).toEqual({ allocated: 80, allocations: 2 });
    const fletcher = f.get(`${CHECKSUM}/BenchmarkFletcher16`);
    expect(fletcher?.values.allocated).toBe(0);
    // 4096 bytes per call: throughput in bytes/s is 4096 / seconds, to Go's two decimals of MB/s.
    expect(fletcher?.values.throughput).toBeGreaterThan(1e6);
    expect((fletcher?.values.throughput ?? 0) * (fletcher?.seconds ?? 0)).toBeCloseTo(4096, -2);
    expect(f.get(`${CHECKSUM}/BenchmarkFrames`)?.values['frames/op']).toBe(16);
    expect(f.get(`${TEXTUTIL}/BenchmarkNeedsGPU`)).toMatchObject({
      seconds: null,
      failure: { state: 'skipped', reason: expect.stringContaining('no GPU on this machine') as string },
    });
  });

  it.skipIf(!hasGo)(
    'narrows the run itself to the names asked for, sub-benchmark levels anchored (needs go)',
    async () => {
      const only = [`${TEXTUTIL}/BenchmarkRepeat/chunk-4`, `${CHECKSUM}/BenchmarkFrames`];
      // The adapter itself, so that what go test ran is seen before benchgate's own filter.
      const figures = await goAdapter.run({
        command: QUICK,
        cwd: EXAMPLE,
        tempDir: EXAMPLE,
        only,
        exec: (commandLine) => execShell(commandLine, { cwd: EXAMPLE, timeoutMs: 120_000 }),
      });
      expect(figures.map((x) => x.name).sort()).toEqual([...only].sort());
      expect(figures.every((x) => x.seconds !== null && x.failure === undefined)).toBe(true);
    },
  );

  it.skipIf(!hasGo)('gives the median of -count=3 runs, samples 3 (needs go)', async () => {
    const figures = await once(`${QUICK} -count=3`, [`${TEXTUTIL}/BenchmarkRepeat/n=64`]);
    expect(figures).toHaveLength(1);
    expect(figures[0]).toMatchObject({ samples: 3, values: { allocated: 1216, allocations: 2 } });
  });

  it.skipIf(!hasGo)(
    'reports a b.Fatal benchmark as errored and keeps the others, though go test exits 1 (needs go)',
    async () => {
      const figures = await once(`BENCHGATE_EXAMPLE_FAIL=1 ${QUICK}`);
      const failed = figures.filter((x) => x.failure?.state === 'errored');
      expect(failed).toEqual([
        {
          name: `${TEXTUTIL}/BenchmarkFlaky`,
          seconds: null,
          values: {},
          failure: { state: 'errored', reason: expect.stringContaining('BENCHGATE_EXAMPLE_FAIL is set') as string },
        },
      ]);
      expect(figures.find((x) => x.name === `${TEXTUTIL}/BenchmarkRepeat/n=1024`)?.seconds).toBeGreaterThan(0);
    },
  );

  it.skipIf(!hasGo)('reads a command that asks for -json from its output events (needs go)', async () => {
    const figures = await once(`${QUICK} -json`, [`${CHECKSUM}/BenchmarkFrames`]);
    expect(figures).toHaveLength(1);
    expect(figures[0]).toMatchObject({ samples: 1, values: { 'frames/op': 16, allocated: 0, allocations: 0 } });
    expect(figures[0]?.seconds).toBeGreaterThan(0);
  });

  it.skipIf(!hasGo)('reports the benchmark a panic killed as errored with the panic (needs go)', async () => {
    const figures = await once(`BENCHGATE_EXAMPLE_FAIL=panic ${QUICK}`);
    expect(figures.find((x) => x.name === `${TEXTUTIL}/BenchmarkFlaky`)?.failure).toEqual({
      state: 'errored',
      reason: 'panic: BENCHGATE_EXAMPLE_FAIL is panic',
    });
  });

  it.skipIf(!hasGo)("throws a HarnessError with go test's message when nothing could run (needs go)", async () => {
    await expect(once('go test -run ^$ -bench . ./nosuch')).rejects.toThrow(
      /go: `go test -run \^\$ -bench \. \.\/nosuch -test\.v=true` exited with code 1 before any benchmark ran:\n.*nosuch/,
    );
  });
});

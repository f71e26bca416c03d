import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { execShell } from '../../../src/harness/exec.js';
import { runHarnessOnce } from '../../../src/harness/run-once.js';
import { vitestAdapter } from '../../../src/harness/vitest.js';
import { ROOT, exampleHarness, tempDir } from '../../helpers.js';

const EXAMPLE = join(ROOT, 'examples', 'vitest');
const config = exampleHarness(EXAMPLE);

const ALL = [
  'bench/sort.bench.ts > sort > numeric compare',
  'bench/sort.bench.ts > sort > typed array',
  'bench/strings.bench.ts > join > Array.join',
  'bench/strings.bench.ts > join > concat loop',
  'bench/strings.bench.ts > join > with separator > comma',
  'bench/strings.bench.ts > split',
];

describe('vitest bench on examples/vitest', () => {
  it('runs every benchmark once and reads its median', async () => {
    expect(config.harness).toBe('vitest');
    const figures = await runHarnessOnce(vitestAdapter, {
      command: config.command,
      cwd: EXAMPLE,
      only: null,
      timeoutMs: 120_000,
    });
    expect(figures.map((f) => f.name).sort()).toEqual(ALL);
    for (const f of figures) {
      expect(f.failure).toBeUndefined();
      expect(f.seconds).toBeGreaterThan(0);
      expect(f.seconds).toBeLessThan(0.1);
      expect(f.samples).toBeGreaterThan(0);
    }
    // Sorting a thousand numbers takes longer than splitting ten letters.
    const seconds = (name: string) => figures.find((f) => f.name === name)?.seconds ?? NaN;
    expect(seconds('bench/sort.bench.ts > sort > numeric compare')).toBeGreaterThan(
      seconds('bench/strings.bench.ts > split'),
    );
  });

  it('runs only the benchmarks asked for, through vitest’s own filters', async () => {
    const only = ['bench/strings.bench.ts > join > with separator > comma', 'bench/sort.bench.ts > sort > typed array'];
    // The adapter directly, not through runHarnessOnce, which would drop any extra benchmark itself.
    const figures = await vitestAdapter.run({
      command: config.command,
      cwd: EXAMPLE,
      tempDir: tempDir(),
      only,
      exec: (commandLine, e) => execShell(commandLine, { cwd: EXAMPLE, timeoutMs: 120_000, env: e?.env }),
    });
    expect(figures.map((f) => f.name).sort()).toEqual([...only].sort());
    for (const f of figures) expect(f.seconds).toBeGreaterThan(0);
  });
});

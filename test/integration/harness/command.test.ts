/** The command harness on real processes: the example project's `node -e 0`, a big allocation, a failure, a timeout. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandAdapter } from '../../../src/harness/command.js';
import { runHarnessOnce } from '../../../src/harness/run-once.js';
import { exampleHarness, ROOT } from '../../helpers.js';

const EXAMPLE = join(ROOT, 'examples', 'command');
const entry = exampleHarness(EXAMPLE);
const config = { name: entry.name as string, command: entry.command, runs: entry.runs ?? 5, warmup: entry.warmup ?? 1 };

const hasPython = (() => {
  try {
    execFileSync('sh', ['-c', 'python3 -c "import os; os.wait4"'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const MiB = 2 ** 20;

function once(command: string, runs = 3, timeoutMs = 60_000) {
  return runHarnessOnce(commandAdapter({ name: 'x', runs, warmup: 1 }), {
    command,
    cwd: EXAMPLE,
    only: null,
    timeoutMs,
  });
}

describe('the command harness', () => {
  it("times the example project's command: one result, the median of its timed runs", async () => {
    const figures = await runHarnessOnce(commandAdapter(config), {
      command: config.command,
      cwd: EXAMPLE,
      only: null,
      timeoutMs: 60_000,
    });
    expect(figures).toHaveLength(1);
    const [f] = figures;
    expect(f?.name).toBe('cli/startup');
    expect(f?.samples).toBe(config.runs);
    expect(f?.failure).toBeUndefined();
    // node -e 0 starts in tens of milliseconds, and takes tens of MiB.
    expect(f?.seconds).toBeGreaterThan(0.005);
    expect(f?.seconds).toBeLessThan(5);
    if (hasPython) {
      expect(f?.values['peak-memory']).toBeGreaterThan(10 * MiB);
      expect(f?.values['peak-memory']).toBeLessThan(1024 * MiB);
    }
  });

  it.skipIf(!hasPython)(
    `measures the command's peak RSS${hasPython ? '' : ' (skipped: python3 is missing)'}`,
    async () => {
      const [small] = await once('node -e 0');
      const [big] = await once(`node -e 'Buffer.alloc(${200 * MiB}).fill(1)'`);
      const grew = (big?.values['peak-memory'] ?? 0) - (small?.values['peak-memory'] ?? 0);
      expect(grew).toBeGreaterThan(190 * MiB);
      expect(grew).toBeLessThan(260 * MiB);
    },
  );

  it('times the process, not a shell around it: a sleep of 0.1 s measures 0.1 s', async () => {
    const [f] = await once('sleep 0.1');
    expect(f?.seconds).toBeGreaterThanOrEqual(0.1);
    // python3's own start (tens of ms, more through a pyenv shim) is outside the timed span.
    expect(f?.seconds).toBeLessThan(0.15);
  });

  it('reports a run that exits non-zero as errored, with the exit code and the end of its stderr', async () => {
    const [f] = await once('echo "no such input" >&2; exit 3');
    expect(f?.seconds).toBeNull();
    expect(f?.failure?.state).toBe('errored');
    expect(f?.failure?.reason).toContain('run 1 of 4 exited with code 3');
    expect(f?.failure?.reason).toContain('no such input');
  });

  it('reports a command that outlives the timeout as errored', async () => {
    const [f] = await once('sleep 30', 1, 1000);
    expect(f?.failure?.state).toBe('errored');
    expect(f?.failure?.reason).toContain('timed out');
  });

  it('runs nothing when the benchmark is not among those asked for', async () => {
    const figures = await runHarnessOnce(commandAdapter(config), {
      command: 'exit 1',
      cwd: EXAMPLE,
      only: ['other'],
      timeoutMs: 60_000,
    });
    expect(figures).toEqual([]);
  });
});

/** The hyperfine harness running the real hyperfine on the example project (examples/command/hyperfine). */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../../src/harness/adapter.js';
import { hyperfineAdapter } from '../../../src/harness/hyperfine.js';
import { runHarnessOnce } from '../../../src/harness/run-once.js';
import { exampleHarness, ROOT } from '../../helpers.js';

const EXAMPLE = join(ROOT, 'examples', 'command', 'hyperfine');
const { command } = exampleHarness(EXAMPLE);

const hasHyperfine = (() => {
  try {
    execFileSync('hyperfine', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const once = (commandLine: string, only: string[] | null) =>
  runHarnessOnce(hyperfineAdapter, { command: commandLine, cwd: EXAMPLE, only, timeoutMs: 60_000 });

const title = hasHyperfine ? 'the hyperfine harness' : 'the hyperfine harness (skipped: hyperfine is not installed)';

describe.skipIf(!hasHyperfine)(title, () => {
  it("reads every command of the example's hyperfine run: its name, median and runs", async () => {
    const figures = await once(command, null);
    expect(figures.map((f) => f.name)).toEqual(['node/startup', 'sleep/10ms']);
    const [node, sleep] = figures;
    expect(node?.samples).toBe(5);
    expect(node?.seconds).toBeGreaterThan(0.005);
    expect(node?.seconds).toBeLessThan(5);
    expect(sleep?.samples).toBe(5);
    expect(sleep?.seconds).toBeGreaterThanOrEqual(0.01);
    expect(sleep?.seconds).toBeLessThan(0.05);
    for (const f of figures) expect(f.failure).toBeUndefined();
  });

  it('runs all commands but returns only those asked for', async () => {
    const figures = await once(command, ['sleep/10ms']);
    expect(figures.map((f) => f.name)).toEqual(['sleep/10ms']);
  });

  it("fails with hyperfine's own message when a command fails", async () => {
    const run = once('hyperfine -N --runs 2 false', null);
    await expect(run).rejects.toThrow(HarnessError);
    await expect(run).rejects.toThrow('non-zero exit code');
  });
});

/** Runs one harness once on one revision: a fresh output folder, the shell runner, the adapter, the figures checked. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HarnessError, type HarnessAdapter, type HarnessFigures } from './adapter.js';
import { execShell } from './exec.js';

/** Most benchmarks one run of a harness may report. */
export const MAX_BENCHMARKS = 10_000;

/** Runs `adapter` once with `command` in `cwd`; returns the figures of the benchmarks asked for. */
export async function runHarnessOnce(
  adapter: HarnessAdapter,
  o: {
    command: string;
    cwd: string;
    only: string[] | null;
    timeoutMs: number;
    /** Seconds of timing per benchmark to ask the harness for, where it has a knob the command does not set. */
    secondsPerBenchmark?: number | null;
  },
): Promise<HarnessFigures[]> {
  const tempDir = mkdtempSync(join(tmpdir(), `benchgate-${adapter.prefix}-`));
  try {
    const sized =
      adapter.timing !== undefined && o.secondsPerBenchmark != null && !adapter.timing.setBy.test(o.command)
        ? adapter.timing.apply(o.command, o.secondsPerBenchmark)
        : o.command;
    const figures = await adapter.run({
      command: sized,
      cwd: o.cwd,
      tempDir,
      only: o.only,
      exec: (commandLine, e) => execShell(commandLine, { cwd: o.cwd, timeoutMs: o.timeoutMs, env: e?.env }),
    });
    if (figures.length > MAX_BENCHMARKS)
      throw new HarnessError(`${adapter.harness}: reported ${figures.length} benchmarks, more than ${MAX_BENCHMARKS}`);
    const seen = new Set<string>();
    for (const f of figures) {
      if (seen.has(f.name)) throw new HarnessError(`${adapter.harness}: reported benchmark '${f.name}' twice`);
      seen.add(f.name);
      const bad = Object.entries(f.values).find(([, v]) => !Number.isFinite(v) || v < 0);
      if ((f.seconds !== null && !(f.seconds >= 0 && Number.isFinite(f.seconds))) || bad)
        throw new HarnessError(
          `${adapter.harness}: benchmark '${f.name}' has a figure that is not a non-negative number (${bad ? bad[0] : 'seconds'})`,
        );
    }
    const wanted = o.only === null ? null : new Set(o.only);
    return wanted === null ? figures : figures.filter((f) => wanted.has(f.name));
  } finally {
    rmSync(tempDir, { recursive: true, force: true });
  }
}

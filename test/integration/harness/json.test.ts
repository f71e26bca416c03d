/** The json harness running the example project's real script (examples/command/json/bench.mjs). */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonAdapter } from '../../../src/harness/json.js';
import { runHarnessOnce } from '../../../src/harness/run-once.js';
import { exampleHarness, ROOT } from '../../helpers.js';

const EXAMPLE = join(ROOT, 'examples', 'command', 'json');
const { command } = exampleHarness(EXAMPLE);

const once = (commandLine: string, only: string[] | null) =>
  runHarnessOnce(jsonAdapter, { command: commandLine, cwd: EXAMPLE, only, timeoutMs: 60_000 });

describe('the json harness', () => {
  it('reads every benchmark the example script wrote to $BENCHGATE_OUTPUT', async () => {
    const figures = await once(command, null);
    expect(figures.map((f) => f.name)).toEqual(['sort/1k', 'json/roundtrip']);
    const [sort, roundtrip] = figures;
    // Sorting 1000 numbers takes microseconds to a millisecond; a JSON round trip of a small record, less.
    expect(sort?.seconds).toBeGreaterThan(1e-6);
    expect(sort?.seconds).toBeLessThan(1e-2);
    expect(sort?.values['items/s']).toBeCloseTo(1000 / (sort?.seconds as number), 0);
    expect(sort?.values['peak-memory']).toBeGreaterThan(10 * 2 ** 20);
    expect(roundtrip?.seconds).toBeLessThan(sort?.seconds as number);
    expect(roundtrip?.values).toEqual({ 'bytes/op': 61 });
  });

  it('passes the names asked for in $BENCHGATE_ONLY, which the script honours', async () => {
    const figures = await once(command, ['json/roundtrip']);
    expect(figures.map((f) => f.name)).toEqual(['json/roundtrip']);
    expect(figures[0]?.values).toEqual({ 'bytes/op': 61 });
  });

  it('reads stdout when the command leaves $BENCHGATE_OUTPUT absent, and drops what was not asked for', async () => {
    const figures = await once(`env -u BENCHGATE_OUTPUT -u BENCHGATE_ONLY ${command}`, ['sort/1k']);
    expect(figures.map((f) => f.name)).toEqual(['sort/1k']);
    expect(figures[0]?.seconds).toBeGreaterThan(0);
  });

  it('fails naming the key when the script writes a figure that is not a number', async () => {
    const bad = `node -e 'require("fs").writeFileSync(process.env.BENCHGATE_OUTPUT, JSON.stringify({benchmarks: {a: {time: "fast"}}}))'`;
    await expect(once(bad, null)).rejects.toThrow(
      'json: $BENCHGATE_OUTPUT benchmarks["a"]["time"]: must be a non-negative number but got "fast"',
    );
  });
});

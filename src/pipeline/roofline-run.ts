/**
 * The `roofline` pipeline: measure the machine's roofs, then every benchmark of the suite through
 * the same round scheduler as `run` (fresh worker processes, random order), and set each against
 * the roofs. Nothing is stored: the roofline describes this machine now.
 */
import type { Config } from '../config/schema.js';
import type { RooflineReport } from '../model.js';
import { runtimeProbe } from '../measure/probe.js';
import { measureHere, measurementsOf, type RoundsProgress } from '../measure/measure-here.js';
import { summariseSide } from '../measure/summarise.js';
import { caseName } from '../measure/suite-types.js';
import { detectTestbed } from '../measure/testbed.js';
import { measureMachineLimits } from '../roofline/limits.js';
import { rooflineRows, type MeasuredCase } from '../roofline/rows.js';

/** Measures limits and benchmarks; returns the roofline report. */
export async function rooflineRun(config: Config, cwd: string, onProgress?: RoundsProgress): Promise<RooflineReport> {
  const startedAt = new Date().toISOString();
  const machine = measureMachineLimits();
  const { cases, measured } = await measureHere(config, cwd, onProgress);
  const rows: MeasuredCase[] = cases.map((c) => {
    const name = caseName(c);
    const ms = measurementsOf(measured, name);
    const figures = summariseSide(ms, 'head', c.work);
    const extra = ms.map((m) => m.extraMemoryBytes).filter((b): b is number => typeof b === 'number');
    return {
      kernel: c.kernel,
      implementation: c.implementation,
      fixture: c.fixture,
      work: c.work,
      state: figures.state,
      reason: figures.reason,
      medianSeconds: figures.medianSeconds,
      extraMemoryBytes: extra.length > 0 ? Math.max(...extra) : null,
    };
  });
  return {
    schema: 'benchgate.roofline/v1',
    profile: config.profile,
    startedAt,
    finishedAt: new Date().toISOString(),
    testbed: detectTestbed(await runtimeProbe()),
    machine,
    results: rooflineRows(rows, machine),
  };
}

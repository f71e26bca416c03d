/**
 * The `roofline` pipeline: every benchmark of the suite through the same round scheduler as `run`
 * (fresh worker processes, random order), each timed beside the probes of the machine's roofs in
 * its own process, and set against the roofs of its own rounds. Nothing is stored: the roofline
 * describes this machine now.
 */
import { simdLevel } from '../addon/index.js';
import type { Config } from '../config/schema.js';
import { ROOFLINE_SCHEMA, type RooflineReport } from '../model.js';
import { runtimeProbe } from '../measure/probe.js';
import { measureHere, type RoundsProgress } from '../measure/measure-here.js';
import { summariseSide } from '../measure/summarise.js';
import { caseName } from '../measure/suite-types.js';
import { detectTestbed } from '../measure/testbed.js';
import { benchThreads } from '../measure/threads.js';
import { machineLimits } from '../roofline/limits.js';
import { rooflineRows, type MeasuredCase } from '../roofline/rows.js';

/** Measures the benchmarks beside the roofs; returns the roofline report. */
export async function rooflineRun(config: Config, cwd: string, onProgress?: RoundsProgress): Promise<RooflineReport> {
  const startedAt = new Date().toISOString();
  const { cases, measured } = await measureHere(config, cwd, onProgress, { roofProbes: true });
  const rows: MeasuredCase[] = cases.map((c) => {
    const ms = measured.filter((m) => m.name === caseName(c)).sort((x, y) => x.round - y.round);
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
      rounds: ms.map((m) => ({
        round: m.round,
        seconds: m.state === 'completed' ? m.medianSeconds : null,
        fmaPeakGflops: m.roofs?.fmaPeakGflops ?? null,
        bandwidthGBs: m.roofs?.bandwidthGBs ?? null,
      })),
    };
  });
  const simd = simdLevel();
  const machine = machineLimits(
    measured.flatMap((m) => (m.roofs !== undefined ? [m.roofs] : [])),
    { simd: simd.level, threads: benchThreads(), reason: simd.reason },
  );
  return {
    schema: ROOFLINE_SCHEMA,
    profile: config.profile,
    startedAt,
    finishedAt: new Date().toISOString(),
    testbed: detectTestbed(await runtimeProbe()),
    machine,
    results: rooflineRows(rows, machine),
  };
}

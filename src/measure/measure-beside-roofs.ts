/**
 * A roofline job's measurement of one benchmark: the kernel timed in blocks of calls with a call of
 * each roof probe between its blocks (./alternate.ts, the probes as followers), so the process
 * reports the kernel's median call and the roofs measured over the same seconds. A neighbour that
 * takes the memory bus or the core for a while slows the kernel and the probe of its roof alike,
 * and their ratio, the fraction of the roof, holds.
 */
import type { RoofFigures, Side } from '../model.js';
import { alternate, summariseTimes, type SideTimes } from './alternate.js';
import { NOTHING_MEASURED, WARMUP_CALLS, warmupMsFor, type WorkerJob, type WorkerResult } from './protocol.js';
import { roofProbes, type RoofName, type RoofProbe } from './roof-probes.js';
import type { PreparedCase } from './suite-types.js';
import { benchThreads } from './threads.js';

/** Each probe's time as a share of the kernel's timed time (at least four calls each). */
export const PROBE_SHARE = 0.25;

/** A probe's figure: its work over its median call, in G per second; null when it did not complete. */
function figure(times: SideTimes<'kernel' | RoofName> | undefined, probe: RoofProbe | undefined): number | null {
  if (times === undefined || probe === undefined || times.error !== null || times.samplesMs.length === 0) return null;
  return probe.work() / summariseTimes(times.samplesMs).medianSeconds / 1e9;
}

/** Times a prepared case beside the roof probes; the result carries the roofs (null without the native addon). */
export async function measureBesideRoofs(
  name: string,
  side: Side,
  job: WorkerJob,
  prepared: PreparedCase,
): Promise<WorkerResult> {
  const { probes } = roofProbes(benchThreads());
  const times = await alternate<'kernel' | RoofName>(
    [{ side: 'kernel', run: prepared.run }, ...probes.map((p) => ({ side: p.roof, run: p.run, share: PROBE_SHARE }))],
    {
      taskTimeMs: job.taskTimeMs,
      minIterations: job.minIterations,
      warmupMs: warmupMsFor(job.taskTimeMs),
      warmupIterations: WARMUP_CALLS,
    },
  );
  const kernel = times[0] as SideTimes<'kernel' | RoofName>;
  if (kernel.error !== null)
    return { type: 'result', name, side, state: 'errored', reason: kernel.error, ...NOTHING_MEASURED };
  const of = (roof: RoofName) => {
    const i = probes.findIndex((p) => p.roof === roof);
    return figure(times[i + 1], probes[i]);
  };
  const roofs: RoofFigures = { fmaPeakGflops: of('fma'), bandwidthGBs: of('triad') };
  return {
    type: 'result',
    name,
    side,
    state: 'completed',
    reason: null,
    ...summariseTimes(kernel.samplesMs),
    extraMemoryBytes: prepared.extraMemoryBytes ?? null,
    roofs,
  };
}

/**
 * JS heap bytes a call allocates, from V8's sampling heap profiler (node:inspector), with the
 * objects later collected by minor and major GCs included: the profile's sizes are V8's unbiased
 * estimate of all bytes allocated while it sampled. Typed arrays' backing stores live outside the
 * JS heap and are not counted (peak memory sees them). Never active while calls are timed.
 */
import { Session } from 'node:inspector/promises';

/** Bytes between samples: finer costs more per allocation, coarser is noisier. */
export const SAMPLING_INTERVAL_BYTES = 512;

interface ProfileNode {
  selfSize: number;
  children: ProfileNode[];
}

let session: Session | null = null;

async function profiler(): Promise<Session> {
  if (session === null) {
    session = new Session();
    session.connect();
    await session.post('HeapProfiler.enable');
  }
  return session;
}

function total(node: ProfileNode): number {
  return node.children.reduce((sum, child) => sum + total(child), node.selfSize);
}

/** Estimated JS heap bytes allocated per call of `run`, over `calls` calls. */
export async function allocatedPerCall(run: () => unknown, calls: number): Promise<number> {
  const s = await profiler();
  await s.post('HeapProfiler.startSampling', {
    samplingInterval: SAMPLING_INTERVAL_BYTES,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  let failure: unknown = null;
  try {
    for (let i = 0; i < calls; i++) {
      // Awaiting a plain value would allocate a promise per call and count it.
      const r = run();
      if (r instanceof Promise) await r;
    }
  } catch (e) {
    failure = e;
  }
  const { profile } = await s.post('HeapProfiler.stopSampling');
  if (failure !== null) throw failure;
  return total(profile.head as unknown as ProfileNode) / calls;
}

/** Calls for the allocation pass: about `targetMs` of them at `callMs` each, from 1 to 20. */
export function allocationCalls(callMs: number | null, targetMs = 10): number {
  return callMs === null || !(callMs > 0) ? 1 : Math.min(20, Math.max(1, Math.ceil(targetMs / callMs)));
}

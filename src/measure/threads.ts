/**
 * How many threads the parallel rungs use: BENCHGATE_THREADS when set (the option; worker processes
 * inherit it), else every core Node reports.
 */
import { availableParallelism } from 'node:os';

/** The thread count for parallel implementations; throws naming the variable when it is malformed. */
export function benchThreads(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.BENCHGATE_THREADS;
  if (raw === undefined || raw === '') return availableParallelism();
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 1024)
    throw new Error(`BENCHGATE_THREADS must be an integer from 1 to 1024 but got '${raw}'`);
  return n;
}

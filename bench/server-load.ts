/**
 * The load client of `npm run bench:server`, run as a child process: posts the generated history
 * to the server at argv[2] with the token argv[3], keeping argv[4] requests in flight. Bodies are
 * built in chunks outside the timed part; the timed part is the POSTs alone. Sends a `LoadResult`
 * to the parent over IPC.
 */
import { COMMITS, BENCHMARKS, names, runAt } from './server-history.js';

/** What the load client measured. */
export interface LoadResult {
  /** Wall time of all POSTs, building the bodies excluded. */
  ingestMs: number;
  /** Time spent building bodies (not counted). */
  jsonMs: number;
  /** Latency of one POST (send to answer read), median and p95. */
  medianMs: number;
  p95Ms: number;
  /** Size of one body. */
  bodyBytes: number;
}

const CHUNK = 50;

async function main(): Promise<void> {
  const [url = '', token = '', inFlightArg = '1'] = process.argv.slice(2);
  const inFlight = Math.max(1, Number(inFlightArg));
  const target = new URL('api/v1/runs', url);
  const all = names();
  const latencies: number[] = [];
  let ingestMs = 0;
  let jsonMs = 0;
  let bodyBytes = 0;
  const post = async (body: string, i: number): Promise<void> => {
    const t = performance.now();
    const res = await fetch(target, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body });
    const text = await res.text();
    if (res.status !== 201) throw new Error(`POST run ${i}: ${res.status} ${text}`);
    latencies.push(performance.now() - t);
  };
  for (let start = 0; start < COMMITS; start += CHUNK) {
    const j0 = performance.now();
    const bodies = Array.from({ length: Math.min(CHUNK, COMMITS - start) }, (_, k) => JSON.stringify(runAt(start + k, all)));
    bodyBytes = Buffer.byteLength(bodies[0] ?? '');
    jsonMs += performance.now() - j0;
    const t0 = performance.now();
    let next = 0;
    // Lanes take runs in order, so the server stores them in (nearly) commit order.
    const lane = async (): Promise<void> => {
      while (next < bodies.length) {
        const k = next++;
        await post(bodies[k] as string, start + k);
      }
    };
    await Promise.all(Array.from({ length: inFlight }, lane));
    ingestMs += performance.now() - t0;
    const done = start + bodies.length;
    if (done % 200 === 0) process.stderr.write(`  ${done} runs, ${((done * BENCHMARKS) / (ingestMs / 1000)).toFixed(0)} measurements/s\n`);
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  const result: LoadResult = {
    ingestMs,
    jsonMs,
    medianMs: sorted[Math.floor(sorted.length / 2)] ?? NaN,
    p95Ms: sorted[Math.ceil(0.95 * sorted.length) - 1] ?? NaN,
    bodyBytes,
  };
  process.send?.(result, () => process.disconnect());
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:server load client failed: ${(e as Error)?.stack ?? String(e)}\n`);
  process.exitCode = 1;
});

/**
 * The load client of `npm run bench:server`, run as a child process: posts the generated history
 * to the server at argv[2] with the token argv[3]. Runs go in chunks of 50, alternately one
 * request in flight and argv[4] in flight (several CI jobs uploading at once), so both rates are
 * measured over the same growth of the history. Bodies are built outside the timed part; the
 * timed part is the POSTs alone. Sends a `LoadResult` to the parent over IPC.
 */
import { COMMITS, BENCHMARKS, names, runAt } from './server-history.js';

/** What one way of uploading measured. */
export interface LoadMode {
  /** Requests kept in flight. */
  inFlight: number;
  /** Runs posted this way. */
  runs: number;
  /** Wall time of those POSTs, building the bodies excluded. */
  ingestMs: number;
  /** Latency of one POST (send to answer read), median and p95. */
  medianMs: number;
  p95Ms: number;
  /** CPU time the client itself used per run while posting (it shares the machine's cores with the server). */
  clientCpuMsPerRun: number;
}

/** What the load client measured. */
export interface LoadResult {
  modes: LoadMode[];
  /** Time spent building bodies (not counted). */
  jsonMs: number;
  /** Size of one body. */
  bodyBytes: number;
}

const CHUNK = 50;
/** Index of the first run posted (BENCH_FIRST, default 0): profiling posts on top of an existing history. */
const FIRST = Number(process.env.BENCH_FIRST ?? 0);

async function main(): Promise<void> {
  const [url = '', token = '', inFlightArg = '1'] = process.argv.slice(2);
  const many = Math.max(1, Number(inFlightArg));
  const target = new URL('api/v1/runs', url);
  const all = names();
  const ways = [...new Set([1, many])].map((inFlight) => ({
    inFlight,
    runs: 0,
    ingestMs: 0,
    cpuMs: 0,
    latencies: [] as number[],
  }));
  let jsonMs = 0;
  let bodyBytes = 0;
  const post = async (body: string, i: number, latencies: number[]): Promise<void> => {
    const t = performance.now();
    const res = await fetch(target, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body,
    });
    const text = await res.text();
    if (res.status !== 201) throw new Error(`POST run ${i}: ${res.status} ${text}`);
    latencies.push(performance.now() - t);
  };
  for (let start = 0, chunk = 0; start < COMMITS; start += CHUNK, chunk++) {
    const way = ways[chunk % ways.length] as (typeof ways)[number];
    const j0 = performance.now();
    const bodies = Array.from({ length: Math.min(CHUNK, COMMITS - start) }, (_, k) =>
      JSON.stringify(runAt(FIRST + start + k, all)),
    );
    bodyBytes = Buffer.byteLength(bodies[0] ?? '');
    jsonMs += performance.now() - j0;
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    let next = 0;
    // Lanes take runs in order, so the server stores them in (nearly) commit order.
    const lane = async (): Promise<void> => {
      while (next < bodies.length) {
        const k = next++;
        await post(bodies[k] as string, start + k, way.latencies);
      }
    };
    await Promise.all(Array.from({ length: way.inFlight }, lane));
    way.ingestMs += performance.now() - t0;
    const used = process.cpuUsage(c0);
    way.cpuMs += (used.user + used.system) / 1000;
    way.runs += bodies.length;
    const done = start + bodies.length;
    if (done % 200 === 0) {
      const rates = ways
        .map((w) => `${w.inFlight} in flight ${((w.runs * BENCHMARKS) / (w.ingestMs / 1000)).toFixed(0)}`)
        .join(', ');
      process.stderr.write(`  ${done} runs, measurements/s: ${rates}\n`);
    }
  }
  const result: LoadResult = {
    modes: ways.map((w) => {
      const sorted = [...w.latencies].sort((a, b) => a - b);
      return {
        inFlight: w.inFlight,
        runs: w.runs,
        ingestMs: w.ingestMs,
        medianMs: sorted[Math.floor(sorted.length / 2)] ?? NaN,
        p95Ms: sorted[Math.ceil(0.95 * sorted.length) - 1] ?? NaN,
        clientCpuMsPerRun: w.cpuMs / w.runs,
      };
    }),
    jsonMs,
    bodyBytes,
  };
  process.send?.(result, () => process.disconnect());
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:server load client failed: ${(e as Error)?.stack ?? String(e)}\n`);
  process.exitCode = 1;
});

/**
 * The `command` harness: one benchmark that is a whole process (a CLI's startup, a build step).
 * benchgate times it itself: `warmup` runs, then `runs` timed runs, each its own `sh -c` process.
 *
 * Each run is started and waited for by a small python3 wrapper (any python3 ≥ 3.8 on Linux or
 * macOS), because Node can neither wait4() a child nor read its children's rusage:
 * - the wall time is the monotonic clock (`perf_counter_ns`) read just before posix_spawn and just
 *   after wait4 returns, so none of Node's spawn, pipe or event-loop overhead is in it;
 * - the peak memory is wait4's `ru_maxrss` of that run: the peak resident set of the largest
 *   single process of its tree (the shell, or what it execs, or any child it waited for), not the
 *   sum of processes alive at once; resolution 1 KiB on Linux, 1 byte on macOS.
 * The command's stdout goes to /dev/null (as hyperfine does); its stderr is kept for the failure
 * message. Without python3 each run is timed by the shell runner instead (its spawn and pipe
 * overhead included, about a millisecond) and no `peak-memory` is reported.
 */
import { median } from 'simple-statistics';
import { HarnessError, shellQuote, type HarnessAdapter, type HarnessContext, type HarnessFigures } from './adapter.js';

/** Timed runs when the config does not say. */
export const DEFAULT_RUNS = 5;
/** Warm-up runs (not timed) when the config does not say. */
export const DEFAULT_WARMUP = 1;

/** Runs `argv[1]` with `sh -c` `argv[2]` times; prints `<wall ns> <peak RSS bytes> <exit code | -signal>` per run; stops at the first failure. */
const WRAPPER = `import os, sys, time
command, total = sys.argv[1], int(sys.argv[2])
rss_scale = 1 if sys.platform == 'darwin' else 1024
devnull = os.open(os.devnull, os.O_WRONLY)
for _ in range(total):
    started = time.perf_counter_ns()
    pid = os.posix_spawnp('sh', ['sh', '-c', command], os.environ, file_actions=[(os.POSIX_SPAWN_DUP2, devnull, 1)])
    _, status, usage = os.wait4(pid, 0)
    wall_ns = time.perf_counter_ns() - started
    code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else -os.WTERMSIG(status)
    print(wall_ns, usage.ru_maxrss * rss_scale, code, flush=True)
    if code != 0:
        break
`;

const PROBE = `python3 -c ${shellQuote('import os, time; os.posix_spawnp; os.wait4; time.perf_counter_ns')}`;

/** One run of the command. */
interface Run {
  seconds: number;
  /** Bytes; null when not measurable. */
  peakBytes: number | null;
}

/** The runs that finished, and why the last one failed, if it did. */
interface Runs {
  done: Run[];
  failure: string | null;
}

/** The adapter of one configured command benchmark: `name` is its benchmark name, `runs` ≥ 1 and `warmup` ≥ 0 whole numbers. */
export function commandAdapter(entry: { name: string; runs?: number; warmup?: number }): HarnessAdapter {
  const runs = entry.runs ?? DEFAULT_RUNS;
  const warmup = entry.warmup ?? DEFAULT_WARMUP;
  if (!Number.isInteger(runs) || runs < 1)
    throw new HarnessError(`command '${entry.name}': runs must be a whole number ≥ 1 but got ${runs}`);
  if (!Number.isInteger(warmup) || warmup < 0)
    throw new HarnessError(`command '${entry.name}': warmup must be a whole number ≥ 0 but got ${warmup}`);
  let hasWrapper: Promise<boolean> | null = null;
  return {
    harness: 'command',
    prefix: 'command',
    run: async (ctx) => {
      if (ctx.only !== null && !ctx.only.includes(entry.name)) return [];
      hasWrapper ??= ctx.exec(PROBE).then((r) => r.code === 0);
      const total = warmup + runs;
      const { done, failure } = (await hasWrapper)
        ? await runWrapped(ctx, entry.name, total)
        : await runPlain(ctx, total);
      return [figuresOf(entry.name, done.slice(warmup), failure)];
    },
  };
}

/** One result from the timed runs, or the failure. */
function figuresOf(name: string, timed: Run[], failure: string | null): HarnessFigures {
  if (failure !== null) return { name, seconds: null, values: {}, failure: { state: 'errored', reason: failure } };
  const peaks = timed.map((r) => r.peakBytes);
  const measurable = peaks.every((p): p is number => p !== null && p > 0);
  return {
    name,
    seconds: median(timed.map((r) => r.seconds)),
    values: measurable ? { 'peak-memory': median(peaks) } : {},
    samples: timed.length,
  };
}

/** All runs in one wrapper process, within the shell runner's timeout. */
async function runWrapped(ctx: HarnessContext, name: string, total: number): Promise<Runs> {
  const r = await ctx.exec(`python3 -c ${shellQuote(WRAPPER)} ${shellQuote(ctx.command)} ${total}`);
  if (r.killed !== null) return { done: [], failure: `${r.killed}${tail(r.stderr)}` };
  if (r.code !== 0)
    throw new HarnessError(`command '${name}': the python3 timing wrapper exited with code ${r.code}${tail(r.stderr)}`);
  const done: Run[] = [];
  const lines = r.stdout.split('\n').filter((l) => l !== '');
  for (const [i, line] of lines.entries()) {
    const m = /^(\d{1,20}) (\d{1,20}) (-?\d{1,3})$/.exec(line);
    if (m === null || i >= total)
      throw new HarnessError(`command '${name}': the timing wrapper wrote an unexpected line ${JSON.stringify(line)}`);
    const code = Number(m[3]);
    if (code !== 0) return { done, failure: `run ${i + 1} of ${total} ${exitText(code)}${tail(r.stderr)}` };
    done.push({ seconds: Number(m[1]) / 1e9, peakBytes: Number(m[2]) });
  }
  if (done.length !== total)
    throw new HarnessError(`command '${name}': the timing wrapper reported ${done.length} of ${total} runs`);
  return { done, failure: null };
}

/** Without python3: each run through the shell runner, timed by it, stdout discarded. */
async function runPlain(ctx: HarnessContext, total: number): Promise<Runs> {
  const done: Run[] = [];
  for (let i = 0; i < total; i++) {
    const r = await ctx.exec(`exec >/dev/null\n${ctx.command}`);
    if (r.code !== 0)
      return { done, failure: `run ${i + 1} of ${total} ${r.killed ?? exitText(r.code ?? -1)}${tail(r.stderr)}` };
    done.push({ seconds: r.seconds, peakBytes: null });
  }
  return { done, failure: null };
}

function exitText(code: number): string {
  return code < 0 ? `was killed by signal ${-code}` : `exited with code ${code}`;
}

/** The last lines of a command's stderr, for a failure message. */
function tail(stderr: string): string {
  const t = stderr.trim().split('\n').slice(-5).join('\n').slice(-2000);
  return t === '' ? '' : `:\n${t}`;
}

/**
 * A harness adapter: how benchgate runs a project's own benchmarks (pytest-benchmark, Google
 * Benchmark, `go test -bench`, criterion, vitest, a plain command, a JSON file) once, and reads
 * back every benchmark's figures. One run of a harness on one revision is one process
 * measurement of each of its benchmarks; the rounds, the pairing and the verdicts are benchgate's.
 */
import type { MeasureName } from '../model.js';
import { UserError } from '../errors.js';

/** One benchmark's figures from one run of a harness. */
export interface HarnessFigures {
  /** The harness's own name for it (`benchmarks/test_grid.py::test_grid[40M]`, `./pkg/BenchmarkParse`). */
  name: string;
  /** Seconds per call (the harness's median where it reports one, else its mean), or null when it timed nothing. */
  seconds: number | null;
  /**
   * Every other figure it reported, by measure: built-in names where the meaning is theirs
   * (`allocated` bytes per call, `allocations` per call, `throughput` bytes per second,
   * `peak-memory` bytes), else named by unit (`frames/op`, `items/s`) or counter (`counter:hits`).
   */
  values: Record<MeasureName, number>;
  /** Timed calls behind `seconds`, when the harness says. */
  samples?: number;
  /** Set when the harness reported this benchmark failed (`errored`) or skipped: the reason. */
  failure?: { state: 'errored' | 'skipped'; reason: string };
}

/** What a run of a shell command gave back. */
export interface Executed {
  /** Exit code (null when killed by a signal or the timeout). */
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall time of the command, in seconds. */
  seconds: number;
  /** Why it did not finish, when it timed out or was killed. */
  killed: string | null;
}

/** What an adapter is given to run its harness once on one revision. */
export interface HarnessContext {
  /** The user's command, as configured (`python3 -m pytest benchmarks -q`). */
  command: string;
  /** The revision's checkout (the command's working directory). */
  cwd: string;
  /** A fresh empty folder of this run, for the harness's machine-readable output. */
  tempDir: string;
  /**
   * The harness's own names to run (later rounds narrow to the undecided ones), or null for all.
   * An adapter translates them to the harness's filter where it has one; benchgate drops any
   * other benchmark from the parsed figures anyway.
   */
  only: string[] | null;
  /** Runs a command line with `sh -c` in `cwd`, without the job's credentials, within the timeout. */
  exec: (commandLine: string, o?: { env?: Record<string, string> }) => Promise<Executed>;
}

/** One harness: runs it once and parses what it wrote. */
export interface HarnessAdapter {
  /** The config's `harness` value, e.g. `pytest-benchmark`. */
  harness: string;
  /** Prefix of benchgate's names of its benchmarks, e.g. `pytest` for `pytest/<node id>`. */
  prefix: string;
  /**
   * The harness's own knob of timing per benchmark (pytest-benchmark's max time, Go's benchtime,
   * …): benchgate sizes it to the time budget, unless the command sets it (`setBy` matches).
   */
  timing?: { setBy: RegExp; apply: (command: string, seconds: number) => string };
  /** Runs the harness once and returns every benchmark's figures; throws a {@link HarnessError} naming what was wrong. */
  run: (ctx: HarnessContext) => Promise<HarnessFigures[]>;
  /**
   * Reads one output file of the harness that was written elsewhere (`benchgate import`): its
   * `text`, with `source` naming it in errors. Absent where the harness has no such file.
   */
  parse?: (text: string, source: string) => HarnessFigures[];
}

/** A harness that failed, or wrote output benchgate cannot read: the message names the harness and what was wrong. */
export class HarnessError extends UserError {
  override name = 'HarnessError';
}

/** Seconds as a short decimal for a command line: `0.1`, `0.025`. */
export const secondsArg = (seconds: number): string => String(Number(seconds.toPrecision(2)));

/** Quotes `s` as one word for `sh -c`. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_\-./=:,@%+]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * Runs `commandLine` and fails with the end of its output when it exits non-zero or is killed; an
 * adapter whose harness exits non-zero on a failing benchmark while still writing results can
 * call `ctx.exec` itself instead.
 */
export async function execOrFail(
  ctx: HarnessContext,
  harness: string,
  commandLine: string,
  env?: Record<string, string>,
): Promise<Executed> {
  const r = await ctx.exec(commandLine, { env });
  if (r.code !== 0) {
    const tail = (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-5).join('\n');
    throw new HarnessError(
      `${harness}: \`${commandLine}\` ${r.killed ?? `exited with code ${r.code}`}${tail ? `:\n${tail}` : ''}`,
    );
  }
  return r;
}

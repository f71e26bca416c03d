/**
 * The pytest-benchmark harness: runs the user's pytest command once with `--benchmark-json`, and
 * reads each benchmark's median seconds per call, its rounds and its numeric `extra_info`. A
 * benchmark whose test failed is reported errored with pytest's reason, not as a failed run.
 */
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import {
  HarnessError,
  shellQuote,
  type HarnessAdapter,
  type HarnessContext,
  type HarnessFigures,
  secondsArg,
} from './adapter.js';

const HARNESS = 'pytest-benchmark';

/** Largest JSON report read (most of it is per-round timings, which are skipped). */
export const MAX_REPORT_BYTES = 4 * 1024 * 1024 * 1024;

/** Most characters of a JSON report kept once its timings are skipped (about 1.5 KB a benchmark). */
export const MAX_FIGURES_CHARS = 64 * 1024 * 1024;

/** Longest `-k` expression sent; a longer selection runs every benchmark (benchgate drops the others). */
export const MAX_KEYWORD_CHARS = 32 * 1024;

/** Most counters kept from one benchmark's `extra_info`. */
const MAX_COUNTERS = 64;

/** Longest failure reason kept. */
const MAX_REASON_CHARS = 500;

/** What pytest's exit codes other than 0 and 1 mean. */
const EXIT_MEANING: Record<number, string> = {
  2: 'was interrupted (a collection error?)',
  3: 'hit an internal error',
  4: 'was given a bad command line',
  5: 'collected no tests',
};

/** The pytest-benchmark adapter: `pytest/<node id>` for each benchmark the command runs. */
export const pytestBenchmarkAdapter: HarnessAdapter = {
  harness: HARNESS,
  prefix: 'pytest',
  // Its default is up to 1 s per benchmark.
  timing: {
    setBy: /--benchmark-max-time\b/,
    apply: (command, seconds) => `${command} --benchmark-max-time=${secondsArg(seconds)}`,
  },
  run: runPytestBenchmark,
  parse: (text) => parsePytestBenchmarkJson(text),
};

async function runPytestBenchmark(ctx: HarnessContext): Promise<HarnessFigures[]> {
  if (ctx.only !== null && ctx.only.length === 0) return [];
  const jsonPath = join(ctx.tempDir, 'out.json');
  const commandLine = pytestBenchmarkCommand(ctx.command, jsonPath, ctx.only);
  // A wide terminal keeps pytest from cutting the failure reasons short in its summary.
  const r = await ctx.exec(commandLine, { env: { COLUMNS: '500' } });
  const output = stripAnsi(`${r.stdout}\n${r.stderr}`);
  const shown = commandLine.length > 400 ? `${commandLine.slice(0, 400)}…` : commandLine;
  const fail = (what: string) => {
    const tail = outputTail(output);
    return new HarnessError(`${HARNESS}: \`${shown}\` ${what}${tail ? `:\n${tail}` : ''}`);
  };
  if (r.code === null) throw fail(r.killed ?? 'was killed');
  // Every test the selection named is gone from this revision.
  if (r.code === 5 && ctx.only !== null) return [];
  if (r.code !== 0 && r.code !== 1)
    throw fail(`exited with code ${r.code}: pytest ${EXIT_MEANING[r.code] ?? 'failed'}`);
  const failures = parseFailedTests(output);
  if (r.code === 1 && failures.size === 0) throw fail('exited with code 1 but its summary names no failed test');
  const text = readPytestBenchmarkReport(jsonPath);
  if (text === null && failures.size === 0) {
    if (ctx.only !== null) return [];
    throw fail(`ran no benchmarks (no test used the \`benchmark\` fixture), so wrote nothing to ${jsonPath}`);
  }
  const figures = text === null ? [] : parsePytestBenchmarkJson(text);
  return withFailures(figures, failures);
}

/**
 * The user's command with what benchgate needs appended: the JSON report, only the benchmark
 * tests, benchmarks on even where the project's config disables them for plain test runs, the
 * summary of failed and errored tests (their reasons), and a `-k` selection of `only`.
 * pytest-benchmark's own calibration and garbage collector setting are left as configured: a
 * regression that comes from more garbage must still show.
 */
export function pytestBenchmarkCommand(command: string, jsonPath: string, only: string[] | null): string {
  const args = [`--benchmark-json=${jsonPath}`, '--benchmark-only', '--benchmark-enable', '-rfE'];
  const keyword = only === null ? null : keywordSelection(only);
  if (keyword !== null) args.push('-k', keyword);
  return `${command} ${args.map(shellQuote).join(' ')}`;
}

/** The ASCII part of pytest's `-k` identifier grammar, so that every pytest version parses it. */
const KEYWORD = /^[A-Za-z0-9_:+.[\]/-]+$/;

const usableKeyword = (s: string) => KEYWORD.test(s) && s !== 'and' && s !== 'or' && s !== 'not';

/**
 * A `-k` expression that selects at least the tests named by node ids (`benchmarks/test_k.py::test_grid[40M]`),
 * or null to select everything. Node ids as positional arguments would add to the command's own
 * paths rather than narrow them, and are relative to pytest's rootdir, not to the working
 * directory; `-k` narrows the command's own selection. It matches case-insensitive substrings of
 * a test's name and its parents' names, so it may select a few more (benchgate drops them); an
 * id `-k` cannot spell (spaces, parentheses, escaped Unicode) falls back to its function's name.
 */
export function keywordSelection(nodeIds: string[]): string | null {
  const terms = new Set<string>();
  for (const id of nodeIds) {
    const parts = id.split('::');
    const test = parts.length > 1 ? (parts[parts.length - 1] ?? '') : '';
    const name = usableKeyword(test) ? test : (test.split('[')[0] ?? '');
    if (!usableKeyword(name)) return null;
    const file = (parts[0] ?? '').split('/').pop() ?? '';
    terms.add(usableKeyword(file) ? `(${file} and ${name})` : name);
  }
  const expression = [...terms].join(' or ');
  return expression.length > MAX_KEYWORD_CHARS ? null : expression;
}

/**
 * A line of pytest's short summary: the word, the node id (where ` - ` only stands inside a
 * parameter id's brackets), and the reason after ` - `.
 */
const SUMMARY_LINE = /^(FAILED|ERROR) ((?:\[[^\]]*\]|[^[ ]| (?!- ))+)(?: - (.*))?$/;

/**
 * The tests pytest's short summary (`-rfE`) names as failed or errored, by node id, with the
 * reason (`FAILED benchmarks/test_k.py::test_grid[40M] - ValueError: bad size`). Only the lines
 * after the summary's heading count (a test's captured output is shown above it); a line without
 * `::` is a file that failed to be collected, not a test, and is left out.
 */
export function parseFailedTests(output: string): Map<string, string> {
  const failures = new Map<string, string>();
  const lines = output.split(/\r?\n/);
  const heading = lines.findLastIndex((l) => /^=+ short test summary info =+$/.test(l));
  for (const line of heading < 0 ? [] : lines.slice(heading + 1)) {
    const m = SUMMARY_LINE.exec(line);
    if (!m?.[2] || !m[2].includes('::') || failures.has(m[2])) continue;
    const reason = (m[3] ?? '').trim() || (m[1] === 'FAILED' ? 'failed' : 'errored');
    failures.set(m[2], reason.slice(0, MAX_REASON_CHARS));
  }
  return failures;
}

/**
 * Each benchmark of a pytest-benchmark JSON report: its node id, its median seconds per call
 * (pytest-benchmark divides each round by its iterations), its rounds as samples, and each
 * numeric `extra_info` entry as `counter:<key>` (the key made a measure name; dropped where it
 * cannot be, or where it is negative). Throws a {@link HarnessError} naming the bad key.
 */
export function parsePytestBenchmarkJson(text: string): HarnessFigures[] {
  let report: unknown;
  try {
    report = JSON.parse(nonFiniteToNull(text));
  } catch (e) {
    throw new HarnessError(`${HARNESS}: its JSON report is not JSON: ${(e as Error).message}`);
  }
  if (!isObject(report) || !Array.isArray(report.benchmarks))
    throw new HarnessError(`${HARNESS}: its JSON report has no 'benchmarks' list`);
  return report.benchmarks.map((b: unknown, i) => benchmarkFigures(b, `benchmarks[${i}]`));
}

function benchmarkFigures(b: unknown, key: string): HarnessFigures {
  const bad = (what: string, got: unknown) =>
    new HarnessError(`${HARNESS}: its JSON report's ${key}${what} (got ${preview(got)})`);
  if (!isObject(b)) throw bad(' is not an object', b);
  const name = b.fullname;
  if (typeof name !== 'string' || name === '' || name.length > 1000 || /\p{Cc}/u.test(name))
    throw bad('.fullname is not a node id of 1 to 1000 printable characters', name);
  if (!isObject(b.stats)) throw bad('.stats is not an object', b.stats);
  const { median, rounds } = b.stats;
  if (typeof median !== 'number' || !(median >= 0)) throw bad('.stats.median is not a non-negative number', median);
  if (rounds !== undefined && !(Number.isSafeInteger(rounds) && (rounds as number) > 0))
    throw bad('.stats.rounds is not a positive integer', rounds);
  const extra = b.extra_info ?? {};
  if (!isObject(extra)) throw bad('.extra_info is not an object', extra);
  return {
    name,
    seconds: median,
    values: counters(extra),
    ...(rounds === undefined ? {} : { samples: rounds as number }),
  };
}

/** `extra_info`'s non-negative numbers as `counter:<key>`, the key's other characters made `_`. */
function counters(extra: Record<string, unknown>): Record<string, number> {
  const values: Record<string, number> = {};
  let kept = 0;
  for (const [key, value] of Object.entries(extra)) {
    if (kept >= MAX_COUNTERS) break;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) continue;
    const counter = key.replace(/[^A-Za-z0-9_.-]+/g, '_');
    if (counter.length === 0 || counter.length > 64) continue;
    const measure = `counter:${counter}`;
    if (Object.hasOwn(values, measure)) continue;
    values[measure] = value;
    kept++;
  }
  return values;
}

/** Marks each failed test's figures errored, adding those that failed before they were timed. */
function withFailures(figures: HarnessFigures[], failures: Map<string, string>): HarnessFigures[] {
  const errored = (reason: string) => ({ state: 'errored' as const, reason });
  const out = figures.map((f) => {
    const reason = failures.get(f.name);
    return reason === undefined ? f : { ...f, failure: errored(reason) };
  });
  const timed = new Set(figures.map((f) => f.name));
  for (const [name, reason] of failures)
    if (!timed.has(name)) out.push({ name, seconds: null, values: {}, failure: errored(reason) });
  return out;
}

/**
 * The JSON report's text without its per-round timings (`"data": [...]`, every round's seconds,
 * which pytest-benchmark always writes: megabytes a fast benchmark), read in chunks so that a
 * large report costs no more memory than its figures; null where pytest wrote none (it creates
 * the file empty when it starts).
 */
export function readPytestBenchmarkReport(path: string, chunkBytes = 4 * 1024 * 1024): string | null {
  if (!existsSync(path)) return null;
  const size = statSync(path).size;
  if (size === 0) return null;
  if (size > MAX_REPORT_BYTES)
    throw new HarnessError(`${HARNESS}: its JSON report ${path} is ${size} bytes, more than ${MAX_REPORT_BYTES}`);
  const fd = openSync(path, 'r');
  try {
    const decoder = new StringDecoder('utf8');
    const chunk = Buffer.alloc(chunkBytes);
    const kept: string[] = [];
    let keptChars = 0;
    const keep = (s: string) => {
      keptChars += s.length;
      if (keptChars > MAX_FIGURES_CHARS)
        throw new HarnessError(
          `${HARNESS}: its JSON report ${path} holds more than ${MAX_FIGURES_CHARS} characters of figures`,
        );
      kept.push(s);
    };
    let pending = '';
    let inTimings = false;
    for (let n = -1; n !== 0;) {
      n = readSync(fd, chunk, 0, chunk.length, null);
      pending += n === 0 ? decoder.end() : decoder.write(chunk.subarray(0, n));
      for (;;) {
        if (inTimings) {
          const end = pending.indexOf(']');
          if (end < 0) {
            pending = '';
            break;
          }
          pending = pending.slice(end + 1);
          inTimings = false;
          continue;
        }
        const m = TIMINGS.exec(pending);
        if (m === null) {
          // Hold back the end, where a `"data": [` may continue in the next chunk.
          const cut = n === 0 ? pending.length : Math.max(0, pending.length - 64);
          keep(pending.slice(0, cut));
          pending = pending.slice(cut);
          break;
        }
        keep(`${pending.slice(0, m.index)}"data": []`);
        pending = pending.slice(m.index + m[0].length);
        inTimings = true;
      }
    }
    return kept.join('');
  } finally {
    closeSync(fd);
  }
}

/** The start of a benchmark's per-round timings: a key `data` and a list of numbers. */
const TIMINGS = /"data":\s*\[/;

/**
 * Python's `json` writes NaN and ±Infinity as bare words; outside strings they become `null`, so
 * one odd `extra_info` value drops that value rather than the whole report.
 */
function nonFiniteToNull(text: string): string {
  return text.replace(/"(?:[^"\\]|\\.)*"|-?\bInfinity\b|\bNaN\b/g, (m) => (m.startsWith('"') ? m : 'null'));
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function preview(v: unknown): string {
  const s = v === undefined ? 'nothing' : JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 60)}…` : s;
}

function stripAnsi(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
}

/** The last lines of pytest's output, for an error message. */
function outputTail(output: string): string {
  return output
    .split(/[\r\n]+/)
    .filter((l) => l.trim() !== '' && !l.startsWith('Computing stats'))
    .slice(-15)
    .map((l) => (l.length > 300 ? `${l.slice(0, 300)}…` : l))
    .join('\n');
}

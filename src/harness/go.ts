/**
 * The `go` harness: `go test -bench`. benchgate appends `-test.v=true` to the user's command (and
 * `-test.bench=<pattern>` when later rounds narrow to some benchmarks) and reads the text output.
 *
 * Why verbose: in that mode Go prints each benchmark's full name on a line of its own before its
 * result lines, and those print it again with a `-<GOMAXPROCS>` suffix when GOMAXPROCS is not 1
 * (`BenchmarkRepeat/chunk-4` then `BenchmarkRepeat/chunk-4-2`). A sub-benchmark's name may itself
 * end in `-<digits>`, so the announced name is the only exact way to strip that suffix. Verbose
 * mode is also the only one that prints `--- SKIP`. The `-test.` spelling of the flags is read
 * both by `go test` (wherever they stand, after the packages too) and, after `-args`, by the test
 * binary itself. A command that already has `-json` (verbose by itself) is read from its `output`
 * events instead.
 *
 * A benchmark's name is `<import path>/<Go's name without the suffix>`; several result lines of
 * one benchmark (`-count`) give the median of each figure. With `-cpu 1,2,4`, where one benchmark
 * runs at several GOMAXPROCS, each keeps Go's printed name (`…/BenchmarkX`, `…/BenchmarkX-2`).
 */
import { median } from 'simple-statistics';
import { isMeasureName, MEASURES, type MeasureName } from '../model.js';
import { HarnessError, type HarnessAdapter, type HarnessFigures, secondsArg } from './adapter.js';
import { MAX_BENCHMARKS } from './run-once.js';

const HARNESS = 'go';

/** Longest benchmark name read; a longer "name" is not Go's. */
const MAX_NAME_CHARS = 4096;
/** Longest failure reason kept. */
const MAX_REASON_CHARS = 2000;
/** Longest `-test.bench` pattern passed; beyond it the run is not narrowed (an argument is capped near 128 KiB). */
const MAX_PATTERN_CHARS = 100_000;

/** A top-level benchmark function's name, as `go test` finds them (`Benchmark` then not a lower-case letter). */
const BENCHMARK_FUNC = /^Benchmark(?!\p{Ll})[\p{L}\p{N}_]*$/u;

/** go test's `-json` flag in a command line. */
const JSON_FLAG = /(^|\s)--?json(=true)?(\s|$)/;

/** The figures of one result line. */
interface Sample {
  seconds: number | null;
  values: Map<MeasureName, number>;
}

/** What one benchmark's lines gave, keyed by the GOMAXPROCS each result ran at. */
interface Collected {
  byProcs: Map<number, Sample[]>;
  failure?: { state: 'errored' | 'skipped'; reason: string };
}

/** The `go test -bench` harness's adapter. */
export const goAdapter: HarnessAdapter = {
  harness: HARNESS,
  prefix: 'go',
  // Its default is 1 s per benchmark; a flag after the packages reaches the test binary.
  timing: {
    setBy: /(^|\s)-(test\.)?benchtime\b/,
    apply: (command, seconds) => `${command} -test.benchtime=${secondsArg(seconds)}s`,
  },
  async run(ctx) {
    if (ctx.only !== null && ctx.only.length === 0) return [];
    const pattern = ctx.only === null ? null : goBenchPattern(ctx.only);
    // -json already makes go test verbose (newer Go frames it for test2json; -test.v=true would undo that).
    const flags = [
      ...(JSON_FLAG.test(ctx.command) ? [] : ['-test.v=true']),
      ...(pattern === null ? [] : [`-test.bench=${goShellWord(pattern)}`]),
    ];
    const commandLine = [ctx.command, ...flags].join(' ');
    const r = await ctx.exec(commandLine);
    const tail = () => (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-5).join('\n');
    if (r.killed !== null) throw new HarnessError(`${HARNESS}: \`${commandLine}\` ${r.killed}:\n${tail()}`);
    const figures = parseGoTestOutput(r.stdout);
    if (figures.length === 0)
      throw new HarnessError(
        r.code === 0
          ? `${HARNESS}: \`${commandLine}\` ran no benchmarks (does the command pass -bench, and do the packages have Benchmark functions?)`
          : `${HARNESS}: \`${commandLine}\` exited with code ${r.code} before any benchmark ran:\n${tail()}`,
      );
    // A failing benchmark makes go test exit 1; its failure is in the figures, the others still count.
    return figures;
  },
  parse(text, source) {
    const figures = parseGoTestOutput(text);
    if (figures.length === 0)
      throw new HarnessError(
        `${HARNESS}: ${source} holds no benchmark benchgate can read (it needs the output of \`go test -bench\` with -v or -json: without them Go leaves out the names that tell a benchmark's own -<digits> from its GOMAXPROCS suffix)`,
      );
    return figures;
  },
};

/** Quotes `s` for `sh -c` as one word, always in single quotes (a pattern's `|`, `$` and `(` are the shell's too). */
function goShellWord(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Escapes RE2's special characters, as Go's regexp.QuoteMeta. */
function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

/**
 * The `-bench` pattern that runs at least the benchmarks named (`<import path>/BenchmarkX/sub`),
 * or null when one of them cannot be translated (then the run is not narrowed). Go splits a
 * pattern at top-level `|` into alternatives and each at `/` into one regexp per name level; a
 * level-by-level match that runs out of levels is partial, and a partially matched benchmark
 * only runs its sub-benchmarks, so shallower alternatives go first. The pattern is the same for
 * every package: it may run more than was asked for, which benchgate drops.
 */
export function goBenchPattern(names: readonly string[]): string | null {
  /** Each alternative, with its number of levels. */
  const alternatives = new Map<string, number>();
  const add = (levels: string[]) => alternatives.set(levels.map((l) => `^${quoteMeta(l)}$`).join('/'), levels.length);
  for (const name of names) {
    const levels = name.split('/');
    let found = false;
    // The import path has no fixed number of levels: every level after the first that can be a
    // Benchmark function may be where the benchmark's own name starts.
    for (let i = 1; i < levels.length; i++) {
      if (!BENCHMARK_FUNC.test(levels[i] ?? '')) continue;
      found = true;
      const own = levels.slice(i);
      add(own);
      // With -cpu a name keeps Go's `-<procs>` suffix, which is not part of what -bench matches.
      const last = own[own.length - 1] ?? '';
      const unsuffixed = last.replace(/-\d+$/, '');
      if (unsuffixed !== last && unsuffixed !== '') add([...own.slice(0, -1), unsuffixed]);
    }
    if (!found) return null;
  }
  const pattern = [...alternatives]
    .sort(([a, da], [b, db]) => da - db || (a < b ? -1 : 1))
    .map(([a]) => a)
    .join('|');
  return pattern.length > MAX_PATTERN_CHARS ? null : pattern;
}

/** The measure a unit of Go's result line stands for, and the factor to it; null to drop it. */
function measureOf(unit: string): { measure: MeasureName; scale: number } | null {
  switch (unit) {
    case 'B/op':
      return { measure: 'allocated', scale: 1 };
    case 'allocs/op':
      return { measure: 'allocations', scale: 1 };
    case 'MB/s':
      return { measure: 'throughput', scale: 1e6 };
  }
  // A harness's own unit keeps its name when it is one (`frames/op`); never a built-in's name,
  // whose meaning would not be Go's (a metric called `time`).
  if (isMeasureName(unit) && !(MEASURES as readonly string[]).includes(unit)) return { measure: unit, scale: 1 };
  const counter = unit.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 64);
  return /[A-Za-z0-9]/.test(counter) ? { measure: `counter:${counter}`, scale: 1 } : null;
}

/** One result line's figures after its name: `N  x ns/op  y B/op …`. */
function parseResult(name: string, fields: readonly string[]): Sample {
  const bad = (what: string) => new HarnessError(`${HARNESS}: the result line of '${name}' ${what}`);
  if (!/^\d+$/.test(fields[0] ?? '')) throw bad(`has '${fields[0] ?? ''}' where the iteration count should be`);
  if (fields.length % 2 !== 1) throw bad(`has a value without its unit ('${fields.slice(1).join(' ')}')`);
  const sample: Sample = { seconds: null, values: new Map() };
  for (let i = 1; i < fields.length; i += 2) {
    const [text = '', unit = ''] = [fields[i], fields[i + 1]];
    if (!/^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$|^[+-]?Inf$|^NaN$/i.test(text))
      throw bad(`has '${text}' where the number of ${unit} should be`);
    const value = Number(text.replace(/inf/i, 'Infinity'));
    // Go prints what a benchmark reports (a negative or NaN metric too); no measure holds one.
    if (!Number.isFinite(value) || value < 0) continue;
    if (unit === 'ns/op') sample.seconds = value / 1e9;
    else {
      const m = measureOf(unit);
      if (m !== null) sample.values.set(m.measure, value * m.scale);
    }
  }
  return sample;
}

/** Reads one package's verbose `go test -bench` output into `into`, keyed by full name. */
function parsePackage(text: string, importPath: string, into: Map<string, Collected>): void {
  let pkg = importPath;
  /** Names Go announced in this package (without the GOMAXPROCS suffix). */
  const announced = new Set<string>();
  /** The benchmark announced last, and whether it is still waiting for a result or an outcome. */
  let last: string | null = null;
  let open = false;
  /** Log lines since the last result or outcome: in verbose mode a failure's reason comes before `--- FAIL`. */
  let logs: string[] = [];
  /** Other lines after the open benchmark's announcement (a panic's message). */
  let stray: string[] = [];
  /** The failure whose reason the following log lines continue (Go's non-verbose layout). */
  let continuing: { reason: string } | null = null;

  const entry = (name: string): Collected => {
    const key = pkg === '' ? name : `${pkg}/${name}`;
    let c = into.get(key);
    if (c === undefined) {
      if (into.size >= MAX_BENCHMARKS)
        throw new HarnessError(`${HARNESS}: reported more than ${MAX_BENCHMARKS} benchmarks`);
      c = { byProcs: new Map() };
      into.set(key, c);
    }
    return c;
  };
  /** The announced name behind a printed one, and the GOMAXPROCS its `-<procs>` suffix says (1 without). */
  const resolve = (printed: string): { name: string; procs: number } | null => {
    const suffixed = /^(.*)-(\d+)$/.exec(printed);
    // The benchmark announced last first: a sub-benchmark `x-4` and `x` at GOMAXPROCS 4 print alike.
    if (last !== null && printed === last) return { name: last, procs: 1 };
    if (last !== null && suffixed?.[1] === last) return { name: last, procs: Number(suffixed[2]) };
    if (announced.has(printed)) return { name: printed, procs: 1 };
    if (suffixed && announced.has(suffixed[1] ?? '')) return { name: suffixed[1] ?? '', procs: Number(suffixed[2]) };
    return null;
  };
  const isName = (s: string) => s.length <= MAX_NAME_CHARS && BENCHMARK_FUNC.test(s.split('/')[0] ?? '');

  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith('pkg: ')) {
      pkg = line.slice(5).trim();
      announced.clear();
      last = continuing = null;
      open = false;
      continue;
    }
    if (/^\s+\S/.test(line)) {
      if (continuing !== null) continuing.reason = clip(`${continuing.reason}\n${line.trim()}`);
      else if (logs.length < 20) logs.push(line.trim());
      continue;
    }
    continuing = null;
    const outcome = /^--- (FAIL|SKIP|BENCH): (\S+)\s*$/.exec(line);
    if (outcome) {
      const [, kind = '', printed = ''] = outcome;
      const name = resolve(printed)?.name ?? printed;
      if (kind !== 'BENCH' && isName(name)) {
        const failure = {
          state: kind === 'FAIL' ? ('errored' as const) : ('skipped' as const),
          reason: clip(logs.join('\n')),
        };
        entry(name).failure = failure;
        continuing = failure;
        if (name === last) open = false;
      }
      logs = [];
      continue;
    }
    const first = line.split(/\s/, 1)[0] ?? '';
    if (first === line && isName(line)) {
      announced.add(line);
      last = line;
      open = true;
      logs = [];
      stray = [];
      continue;
    }
    const resolved: { name: string; procs: number } | null = first !== line ? resolve(first) : null;
    if (resolved !== null && resolved.name === last) {
      const c = entry(resolved.name);
      const samples = c.byProcs.get(resolved.procs) ?? [];
      samples.push(parseResult(resolved.name, line.trim().split(/\s+/).slice(1)));
      c.byProcs.set(resolved.procs, samples);
      open = false;
      logs = [];
      continue;
    }
    // The end of a package whose test binary died (a panic, a timeout) in the benchmark it was running.
    if (/^FAIL\s/.test(line) && open && last !== null) {
      const panic = stray.find((l) => l.startsWith('panic: '));
      entry(last).failure = {
        state: 'errored',
        reason: clip(panic ?? 'the test binary exited before the benchmark gave a result'),
      };
    }
    if (/^(ok|FAIL)\s/.test(line)) {
      announced.clear();
      last = null;
      open = false;
    } else if (open && stray.length < 50) stray.push(line);
  }
}

/** A reason cut to {@link MAX_REASON_CHARS}. */
function clip(reason: string): string {
  return reason.slice(0, MAX_REASON_CHARS);
}

/** One `go test -json` line's package and output text, checked: the events are the harness's, untrusted. */
function jsonOutput(line: string, lineNo: number): { pkg: string; output: string } | null {
  let event: unknown;
  try {
    event = JSON.parse(line);
  } catch {
    throw new HarnessError(`${HARNESS}: line ${lineNo} of the -json output is not JSON: ${line.slice(0, 80)}`);
  }
  if (typeof event !== 'object' || event === null || Array.isArray(event))
    throw new HarnessError(`${HARNESS}: line ${lineNo} of the -json output is not an event object`);
  const e = event as Record<string, unknown>;
  if (e.Action !== 'output') return null;
  if (typeof e.Output !== 'string')
    throw new HarnessError(`${HARNESS}: line ${lineNo} of the -json output has an 'Output' that is not a string`);
  if (e.Package !== undefined && typeof e.Package !== 'string')
    throw new HarnessError(`${HARNESS}: line ${lineNo} of the -json output has a 'Package' that is not a string`);
  return { pkg: e.Package ?? '', output: e.Output };
}

/**
 * Every benchmark's figures in the stdout of `go test -bench … -test.v=true` (or of `-json`):
 * seconds per call from ns/op, `allocated` from B/op, `allocations` from allocs/op, `throughput`
 * in bytes/s from MB/s, and a `ReportMetric` unit by its name (`frames/op`) or as `counter:<unit>`.
 */
export function parseGoTestOutput(stdout: string): HarnessFigures[] {
  const collected = new Map<string, Collected>();
  if (stdout.trimStart().startsWith('{')) {
    // go test -json splits a line over events; each package's output is rejoined and read whole.
    const texts = new Map<string, string[]>();
    stdout.split('\n').forEach((line, i) => {
      if (line.trim() === '') return;
      const out = jsonOutput(line, i + 1);
      if (out === null) return;
      const parts = texts.get(out.pkg) ?? [];
      parts.push(out.output);
      texts.set(out.pkg, parts);
    });
    for (const [pkg, parts] of texts) parsePackage(parts.join(''), pkg, collected);
  } else parsePackage(stdout, '', collected);
  return [...collected].flatMap(([name, c]) => figuresOf(name, c));
}

/** One benchmark's figures: one per GOMAXPROCS it ran at (Go's printed name when several), or its failure alone. */
function figuresOf(name: string, c: Collected): HarnessFigures[] {
  const failure = c.failure
    ? {
        failure: {
          state: c.failure.state,
          reason: c.failure.reason || (c.failure.state === 'errored' ? 'failed' : 'skipped'),
        },
      }
    : {};
  if (c.byProcs.size === 0) return [{ name, seconds: null, values: {}, ...failure }];
  return [...c.byProcs].map(([procs, samples]) => {
    const seconds = samples.flatMap((s) => (s.seconds === null ? [] : [s.seconds]));
    const measures = new Set(samples.flatMap((s) => [...s.values.keys()]));
    const values = Object.fromEntries(
      [...measures].map((m) => [m, median(samples.flatMap((s) => s.values.get(m) ?? []))]),
    );
    return {
      name: c.byProcs.size > 1 && procs !== 1 ? `${name}-${procs}` : name,
      seconds: seconds.length > 0 ? median(seconds) : null,
      values,
      samples: samples.length,
      ...failure,
    };
  });
}

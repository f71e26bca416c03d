/**
 * The criterion (Rust) adapter: runs the user's `cargo bench` with `CRITERION_HOME` pointed at a
 * fresh folder, so that results of earlier runs in the user's `target/criterion` cannot leak in,
 * then reads every benchmark's `new/benchmark.json` (its `full_id` and throughput),
 * `new/estimates.json` (the median) and `new/sample.json` (the sample count) from that folder.
 * Works with criterion 0.3 to 0.5, whose files have the same shape.
 */
import { lstatSync, readdirSync, readFileSync, type Dirent } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { isMeasureName } from '../model.js';
import { HarnessError, shellQuote, type Executed, type HarnessAdapter, type HarnessFigures } from './adapter.js';

const HARNESS = 'criterion';

/** Deepest folder under `CRITERION_HOME` searched: `<group>/<function>/<value>/new` is four. */
const MAX_DEPTH = 6;

/** Most folders visited under `CRITERION_HOME`, so that a hostile tree cannot stall the walk. */
const MAX_FOLDERS = 50_000;

/** Largest result file read; criterion's are a few kilobytes, `sample.json` grows with the sample size. */
const MAX_FILE_BYTES = 16 * 1024 * 1024;

/** Longest `only` filter put on the command line; beyond it all benchmarks run and benchgate drops the rest. */
const MAX_FILTER_CHARS = 64 * 1024;

/** Runs criterion benchmarks through `cargo bench` and reads the results it saves. */
export const criterionAdapter: HarnessAdapter = {
  harness: HARNESS,
  prefix: 'criterion',
  // Its defaults are 3 s of warm-up and 5 s of measurement per benchmark; its own flags come after
  // `--`, and criterion 0.3 takes whole seconds only.
  timing: {
    setBy: /--measurement-time\b|--warm-up-time\b/,
    apply: (command, seconds) => {
      const flags = `--warm-up-time 1 --measurement-time ${Math.max(1, Math.round(seconds))}`;
      return / -- /.test(` ${command} `) ? `${command} ${flags}` : `${command} -- ${flags}`;
    },
  },
  async run(ctx) {
    if (ctx.only !== null && ctx.only.length === 0) return [];
    const home = join(ctx.tempDir, 'criterion');
    const commandLine = withFilter(ctx.command, ctx.only);
    const r = await ctx.exec(commandLine, { env: { CRITERION_HOME: home } });
    if (r.killed !== null) throw new HarnessError(`${HARNESS}: \`${commandLine}\` ${r.killed}${tail(r)}`);
    const figures = readCriterionHome(home);
    if (r.code !== 0) {
      // A panicking benchmark aborts the whole bench binary: keep what finished before it. Any
      // other failure (a build error, a panic outside a benchmark) fails the run.
      const interrupted = interruptedBenchmark(r.stdout);
      if (interrupted === null || figures.length === 0 || figures.some((f) => f.name === interrupted))
        throw new HarnessError(`${HARNESS}: \`${commandLine}\` exited with code ${r.code}${tail(r)}`);
      figures.push({
        name: interrupted,
        seconds: null,
        values: {},
        failure: { state: 'errored', reason: panicMessage(r.stderr) ?? `cargo bench exited with code ${r.code}` },
      });
    }
    if (figures.length === 0 && ctx.only === null)
      throw new HarnessError(
        `${HARNESS}: \`${commandLine}\` saved no results under CRITERION_HOME: is it a \`cargo bench\` of criterion benchmarks, and does its code keep criterion's default output directory?`,
      );
    return figures;
  },
};

/**
 * The command with criterion's name filter for `only` appended: one anchored regular expression
 * over the benchmarks' full ids (criterion 0.3 has no `--exact`, and 0.5's takes a single name).
 */
export function withFilter(command: string, only: string[] | null): string {
  if (only === null) return command;
  const pattern = `^(?:${only.map(escapeRegex).join('|')})$`;
  if (pattern.length > MAX_FILTER_CHARS) return command;
  // Everything after cargo's `--` goes to the bench binaries; a second `--` would become a filter.
  const separator = /(?:^|\s)--(?:\s|$)/.test(command) ? ' ' : ' -- ';
  return `${command}${separator}${shellQuote(pattern)}`;
}

/** Escapes the characters that every version of Rust's `regex` crate treats as syntax. */
function escapeRegex(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

/** Every benchmark's figures saved under `home` (a `CRITERION_HOME`), in a stable order. */
export function readCriterionHome(home: string): HarnessFigures[] {
  const figures: HarnessFigures[] = [];
  for (const dir of resultFolders(home)) figures.push(readBenchmark(home, dir));
  return figures.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The `new` folders holding a `benchmark.json` under `home`; symbolic links are not followed. */
function resultFolders(home: string): string[] {
  const found: string[] = [];
  let visited = 0;
  const walk = (dir: string, depth: number) => {
    if (++visited > MAX_FOLDERS) throw new HarnessError(`${HARNESS}: more than ${MAX_FOLDERS} folders under ${home}`);
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    if (dir !== home && basename(dir) === 'new' && entries.some((e) => e.isFile() && e.name === 'benchmark.json')) {
      found.push(dir);
      return;
    }
    if (depth >= MAX_DEPTH) return;
    for (const e of entries) if (e.isDirectory() && e.name !== 'report') walk(join(dir, e.name), depth + 1);
  };
  walk(home, 0);
  return found;
}

/** One benchmark from its `new` folder. */
function readBenchmark(home: string, dir: string): HarnessFigures {
  const where = (file: string) => relative(home, join(dir, file));
  const id = readJson(join(dir, 'benchmark.json'), where('benchmark.json'));
  const name = id.get('full_id');
  if (typeof name !== 'string' || name === '')
    throw new HarnessError(`${HARNESS}: ${where('benchmark.json')}: 'full_id' is not a non-empty string`);

  const estimates = readJson(join(dir, 'estimates.json'), where('estimates.json'));
  const median = own(estimates.get('median'), 'point_estimate');
  if (typeof median !== 'number' || !Number.isFinite(median) || median < 0)
    throw new HarnessError(
      `${HARNESS}: ${where('estimates.json')}: 'median.point_estimate' is not a non-negative number`,
    );

  const unit = measurementUnit(join(dir, 'raw.csv'), where('raw.csv'));
  const values: Record<string, number> = {};
  let seconds: number | null = null;
  if (unit === 'ns') {
    seconds = median / 1e9;
    if (seconds > 0) Object.assign(values, throughputs(id.get('throughput'), seconds));
  } else {
    // A custom measurement (cycles, instructions): its own unit per call, when that makes a measure name.
    const measure = `${unit.replace(/[^A-Za-z0-9_.-]/g, '_')}/op`;
    if (isMeasureName(measure)) values[measure] = median;
  }

  const figures: HarnessFigures = { name, seconds, values };
  const samples = sampleCount(join(dir, 'sample.json'), where('sample.json'));
  if (samples !== null) figures.samples = samples;
  return figures;
}

/**
 * Bytes and elements per second from criterion's throughput (`{"Bytes": n}`, `{"BytesDecimal": n}`,
 * `{"Elements": n}`, `{"ElementsAndBytes": {"elements": n, "bytes": m}}`); other shapes are ignored.
 */
function throughputs(throughput: unknown, seconds: number): Record<string, number> {
  const per = (n: unknown) => (typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n / seconds : null);
  const bytes = per(own(throughput, 'Bytes') ?? own(throughput, 'BytesDecimal'));
  const elements = per(own(throughput, 'Elements'));
  const both = own(throughput, 'ElementsAndBytes');
  const out: Record<string, number> = {};
  const b = bytes ?? per(own(both, 'bytes'));
  const e = elements ?? per(own(both, 'elements'));
  if (b !== null) out['throughput'] = b;
  if (e !== null) out['elements/s'] = e;
  return out;
}

/**
 * The unit of the benchmark's measurement: the `unit` column of its `raw.csv` (`ns` for criterion's
 * wall time); `ns` when there is no `raw.csv` (criterion 0.4+ writes it only with `csv_output`).
 * The unit is read from the end of the first data row, past the names that could hold commas.
 */
function measurementUnit(path: string, where: string): string {
  if (!exists(path)) return 'ns';
  const text = readCapped(path, where);
  const [header, first] = text.split('\n', 2);
  const columns = header?.split(',') ?? [];
  if (columns[columns.length - 2] !== 'unit' || first === undefined) return 'ns';
  const cells = first.split(',');
  return cells[cells.length - 2] || 'ns';
}

/** The number of samples in `sample.json` (its `iters`), or null when there is no such file. */
function sampleCount(path: string, where: string): number | null {
  if (!exists(path)) return null;
  const iters = readJson(path, where).get('iters');
  if (!Array.isArray(iters)) throw new HarnessError(`${HARNESS}: ${where}: 'iters' is not an array`);
  return iters.length;
}

/** Whether anything is at `path`. */
function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** The benchmark that was running when the bench binary stopped, from criterion's progress lines. */
function interruptedBenchmark(stdout: string): string | null {
  const lines = stdout.split('\n').filter((l) => l.startsWith('Benchmarking '));
  const last = lines[lines.length - 1];
  if (last === undefined) return null;
  const id = last
    .slice('Benchmarking '.length)
    .replace(/: (?:Warming up|Collecting|Analyzing|Starting|Complete|Profiling)\b.*$/, '')
    .trim();
  return id === '' ? null : id;
}

/** `panicked at <place>: <message>` from a Rust panic report, for either of its formats. */
function panicMessage(stderr: string): string | null {
  const lines = stderr.split('\n');
  const at = lines.findIndex((l) => l.includes(' panicked at '));
  if (at < 0) return null;
  const line = (lines[at] ?? '').slice((lines[at] ?? '').indexOf('panicked at '));
  // Since Rust 1.73 the message is on the line after `panicked at <file>:<line>:<col>:`.
  const message = line.endsWith(':') ? `${line} ${(lines[at + 1] ?? '').trim()}` : line;
  return message.slice(0, 500);
}

/** The last lines of a failed command's output, for an error message. */
function tail(r: Executed): string {
  const lines = (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-5).join('\n');
  return lines ? `:\n${lines}` : '';
}

/** An object parsed from untrusted JSON, read only through its own properties. */
interface JsonObject {
  get: (key: string) => unknown;
}

/** Parses the JSON object in `path`; `where` names the file in errors. */
function readJson(path: string, where: string): JsonObject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readCapped(path, where));
  } catch (e) {
    if (e instanceof HarnessError) throw e;
    throw new HarnessError(`${HARNESS}: ${where} is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new HarnessError(`${HARNESS}: ${where} does not hold a JSON object`);
  return { get: (key) => own(parsed, key) };
}

/** `value[key]` when `value` is an object that has `key` itself (never an inherited property). */
function own(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && Object.hasOwn(value, key)
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

/** The text of a regular file of at most {@link MAX_FILE_BYTES}; `where` names it in errors. */
function readCapped(path: string, where: string): string {
  let size: number;
  try {
    const stat = lstatSync(path);
    if (!stat.isFile()) throw new HarnessError(`${HARNESS}: ${where} is not a regular file`);
    size = stat.size;
  } catch (e) {
    if (e instanceof HarnessError) throw e;
    throw new HarnessError(`${HARNESS}: ${where} is missing`);
  }
  if (size > MAX_FILE_BYTES)
    throw new HarnessError(`${HARNESS}: ${where} is ${size} bytes, more than ${MAX_FILE_BYTES}`);
  return readFileSync(path, 'utf8');
}

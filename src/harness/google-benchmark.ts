/**
 * The Google Benchmark adapter: runs a benchmark binary once with its JSON report written to a
 * file (`--benchmark_out`), narrowed with `--benchmark_filter` when benchgate asks for some
 * benchmarks only, and reads each benchmark's real time per iteration, CPU time and counters.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { median } from 'simple-statistics';
import type { MeasureName } from '../model.js';
import {
  execOrFail,
  HarnessError,
  shellQuote,
  type HarnessAdapter,
  type HarnessFigures,
  secondsArg,
} from './adapter.js';

const HARNESS = 'google-benchmark';

/** Largest JSON report read (a real one is a few kilobytes per benchmark). */
export const MAX_REPORT_BYTES = 64 * 1024 * 1024;

/** CPU time per iteration, in seconds: named by its unit, so that it reads as what it is. */
export const CPU_SECONDS = 'cpu-seconds/op';

/** Seconds in one of each `time_unit` Google Benchmark writes. */
const SECONDS_PER_UNIT: Readonly<Record<string, number>> = { ns: 1e-9, us: 1e-6, ms: 1e-3, s: 1 };

/** Counters whose meaning is a built-in measure's, or a harness measure's by unit. */
const KNOWN_COUNTERS: Readonly<Record<string, MeasureName>> = {
  bytes_per_second: 'throughput',
  items_per_second: 'items/s',
  allocs_per_iter: 'allocations',
  max_bytes_used: 'peak-memory',
};

/** Keys of a run that are not counters (the JSON reporter writes counters beside them). */
const RUN_FIELDS = new Set([
  'name',
  'family_index',
  'per_family_instance_index',
  'run_name',
  'run_type',
  'repetitions',
  'repetition_index',
  'threads',
  'aggregate_name',
  'aggregate_unit',
  'error_occurred',
  'error_message',
  'skipped',
  'skip_message',
  'iterations',
  'real_time',
  'cpu_time',
  'time_unit',
  'cpu_coefficient',
  'real_coefficient',
  'big_o',
  'rms',
  'label',
]);

const MAX_NAME_CHARS = 1000;
const MAX_REASON_CHARS = 500;

/** Runs a Google Benchmark binary (the configured command, flags appended) once and reads its JSON report. */
export const googleBenchmarkAdapter: HarnessAdapter = {
  harness: HARNESS,
  prefix: 'gbench',
  // Its default is 0.5 s per benchmark (a number of seconds, which 1.8 and later still take).
  timing: {
    setBy: /--benchmark_min_time\b/,
    apply: (command, seconds) => `${command} --benchmark_min_time=${secondsArg(seconds)}`,
  },
  run: async (ctx) => {
    if (ctx.only !== null && ctx.only.length === 0) return [];
    const outFile = join(ctx.tempDir, 'out.json');
    const flags = [`--benchmark_out=${outFile}`, '--benchmark_out_format=json'];
    if (ctx.only !== null) flags.push(`--benchmark_filter=${benchmarkFilter(ctx.only)}`);
    const commandLine = `${ctx.command} ${flags.map(shellQuote).join(' ')}`;
    const r = await execOrFail(ctx, HARNESS, commandLine);
    const text = readReport(outFile, ctx.command);
    if (text.trim() === '') {
      // The binary leaves the file empty when the filter matched nothing: no benchmark ran.
      if (/Failed to match any benchmarks/.test(r.stderr + r.stdout)) return [];
      const tail = (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-3).join('\n');
      throw new HarnessError(`${HARNESS}: \`${ctx.command}\` left its JSON report empty${tail ? `:\n${tail}` : ''}`);
    }
    return parseGoogleBenchmarkJson(text, `the JSON report of \`${ctx.command}\``);
  },
  parse: parseGoogleBenchmarkJson,
};

/**
 * A `--benchmark_filter` regex that matches exactly `names`: anchored, each name escaped for the
 * POSIX extended syntax Google Benchmark compiles (`]` and `}` stay bare: escaping them is an error there).
 */
export function benchmarkFilter(names: readonly string[]): string {
  return `^(${names.map((n) => n.replace(/[.[\\()*+?{|^$]/g, '\\$&')).join('|')})$`;
}

/** Reads the report file, refusing a missing or oversized one. */
function readReport(path: string, command: string): string {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new HarnessError(
      `${HARNESS}: \`${command}\` wrote no JSON report to ${path} (is it a Google Benchmark binary that takes --benchmark_out?)`,
    );
  }
  if (size > MAX_REPORT_BYTES)
    throw new HarnessError(
      `${HARNESS}: the JSON report of \`${command}\` is ${size} bytes, more than ${MAX_REPORT_BYTES}`,
    );
  return readFileSync(path, 'utf8');
}

/** One entry of the report's `benchmarks` array, checked as far as grouping needs. */
interface Run {
  at: string;
  fields: Record<string, unknown>;
  instance: string | null;
}

/**
 * Parses a Google Benchmark JSON report (`source` names it in errors) into one figure per
 * benchmark. With `--benchmark_repetitions=N` the per-repetition iteration runs are taken and
 * their median computed here (samples = N): the same path as one repetition, which has no
 * aggregates, and the only runs that carry errors. The `median` aggregate is used only where the
 * report holds aggregates alone (`--benchmark_report_aggregates_only`); other aggregates are ignored.
 */
export function parseGoogleBenchmarkJson(text: string, source: string): HarnessFigures[] {
  const fail = (what: string) => new HarnessError(`${HARNESS}: ${source} ${what}`);
  let doc: unknown;
  try {
    doc = JSON.parse(nonFiniteToNull(text));
  } catch (e) {
    throw fail(`is not valid JSON (${(e as Error).message})`);
  }
  if (!isRecord(doc)) throw fail('is not a JSON object');
  const list = doc.benchmarks;
  if (!Array.isArray(list)) throw fail("has no 'benchmarks' array");

  const iterations = new Map<string, Run[]>();
  const medians = new Map<string, Run>();
  const order = new Set<string>();
  list.forEach((fields: unknown, i) => {
    const at = `benchmarks[${i}]`;
    if (!isRecord(fields)) throw fail(`has ${at} that is not an object`);
    const name = checkedName(fields.name, `${at}.name`, fail);
    const runType = fields.run_type ?? 'iteration';
    const instance =
      typeof fields.family_index === 'number' && typeof fields.per_family_instance_index === 'number'
        ? `${fields.family_index}/${fields.per_family_instance_index}`
        : null;
    const run = { at, fields, instance };
    if (runType === 'iteration') {
      const key = fields.run_name === undefined ? name : checkedName(fields.run_name, `${at}.run_name`, fail);
      order.add(key);
      const runs = iterations.get(key);
      if (runs === undefined) iterations.set(key, [run]);
      else runs.push(run);
    } else if (runType === 'aggregate') {
      if (fields.aggregate_name !== 'median') return;
      const key =
        fields.run_name === undefined
          ? name.replace(/_median$/, '')
          : checkedName(fields.run_name, `${at}.run_name`, fail);
      const earlier = medians.get(key);
      if (earlier !== undefined)
        throw fail(`reports benchmark '${key}' twice (${earlier.at} and ${at} are both its median)`);
      order.add(key);
      medians.set(key, run);
    } else {
      throw fail(`has ${at}.run_type ${JSON.stringify(runType)}, not 'iteration' or 'aggregate'`);
    }
  });

  return [...order].map((name) => {
    const runs = iterations.get(name);
    if (runs !== undefined) {
      const twice = runs.find((r) => r.instance !== runs[0]?.instance);
      if (twice)
        throw fail(`reports benchmark '${name}' twice (${runs[0]?.at} and ${twice.at} are different benchmarks)`);
      return figuresOf(name, runs, runs.length, fail);
    }
    const agg = medians.get(name) as Run;
    const n = agg.fields.repetitions;
    return figuresOf(name, [agg], typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : undefined, fail);
  });
}

/** One benchmark's figures from its runs (its repetitions, or its median aggregate). */
function figuresOf(
  name: string,
  runs: readonly Run[],
  samples: number | undefined,
  fail: (what: string) => HarnessError,
): HarnessFigures {
  for (const { at, fields } of runs)
    for (const flag of ['error_occurred', 'skipped'])
      if (fields[flag] !== undefined && typeof fields[flag] !== 'boolean')
        throw fail(`has ${at}.${flag} that is not true or false`);
  // A benchmark that failed in any repetition failed: its other repetitions are not its figure.
  const errored = runs.find((r) => r.fields.error_occurred === true);
  if (errored) return failed(name, 'errored', reasonOf(errored.fields.error_message, 'an error without a message'));
  const skipped = runs.find((r) => r.fields.skipped === true);
  if (skipped) return failed(name, 'skipped', reasonOf(skipped.fields.skip_message, 'skipped without a message'));
  const seconds: number[] = [];
  const values = new Map<MeasureName, number[]>();
  const add = (measure: MeasureName, v: number) => {
    const vs = values.get(measure);
    if (vs === undefined) values.set(measure, [v]);
    else vs.push(v);
  };
  for (const { at, fields } of runs) {
    const unit = fields.time_unit;
    const scale =
      typeof unit === 'string' && Object.hasOwn(SECONDS_PER_UNIT, unit) ? SECONDS_PER_UNIT[unit] : undefined;
    if (scale === undefined) throw fail(`has ${at}.time_unit ${JSON.stringify(unit)}, not one of ns, us, ms, s`);
    seconds.push(checkedTime(fields.real_time, `${at}.real_time`, fail) * scale);
    add(CPU_SECONDS, checkedTime(fields.cpu_time, `${at}.cpu_time`, fail) * scale);
    for (const [key, v] of Object.entries(fields)) {
      if (RUN_FIELDS.has(key)) continue;
      const measure = measureOfCounter(key);
      // A counter benchgate cannot name or hold (NaN, infinite, negative) is left out, not fatal.
      if (measure !== null && typeof v === 'number' && Number.isFinite(v) && v >= 0) add(measure, v);
    }
  }
  const figures: HarnessFigures = {
    name,
    seconds: median(seconds),
    values: Object.fromEntries([...values].map(([m, vs]) => [m, median(vs)])),
  };
  if (samples !== undefined) figures.samples = samples;
  return figures;
}

/** The measure a counter key is reported as, or null when no valid measure name can be made of it. */
export function measureOfCounter(key: string): MeasureName | null {
  if (Object.hasOwn(KNOWN_COUNTERS, key)) return KNOWN_COUNTERS[key] as MeasureName;
  const cleaned = key.replace(/[^A-Za-z0-9_.-]/g, '_');
  return cleaned.length >= 1 && cleaned.length <= 64 && /[A-Za-z0-9]/.test(cleaned) ? `counter:${cleaned}` : null;
}

function failed(name: string, state: 'errored' | 'skipped', reason: string): HarnessFigures {
  return { name, seconds: null, values: {}, failure: { state, reason } };
}

function reasonOf(message: unknown, fallback: string): string {
  return typeof message === 'string' && message.trim() !== '' ? message.slice(0, MAX_REASON_CHARS) : fallback;
}

function checkedName(v: unknown, at: string, fail: (what: string) => HarnessError): string {
  if (typeof v !== 'string' || v === '') throw fail(`has ${at} that is not a non-empty string`);
  if (v.length > MAX_NAME_CHARS) throw fail(`has ${at} longer than ${MAX_NAME_CHARS} characters`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(v)) throw fail(`has ${at} with a control character`);
  return v;
}

function checkedTime(v: unknown, at: string, fail: (what: string) => HarnessError): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw fail(`has ${at} that is not a non-negative number`);
  return v;
}

/**
 * The JSON reporter writes NaN and ±Infinity bare (a counter divided by zero), which is not JSON:
 * those tokens outside strings become null, and the counters holding them are left out.
 */
function nonFiniteToNull(text: string): string {
  return text.replace(/"(?:[^"\\]|\\.)*"|-?(?:NaN|Infinity)/g, (m) => (m.startsWith('"') ? m : 'null'));
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

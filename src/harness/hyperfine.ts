/**
 * The `hyperfine` harness: the command is a hyperfine invocation with the commands it times
 * (`hyperfine -N --runs 10 'my-tool --version' 'my-tool build'`), run from its last word on;
 * benchgate appends `--export-json <file>` and reads the file's `results[]`: each command (or its
 * `--command-name`) is a benchmark, its `median` (`mean` where a hyperfine has no median) the
 * seconds per call, its `times` the samples, and the median of `memory_usage_byte` (each run's
 * peak RSS, which hyperfines newer than 1.19 report) its `peak-memory`.
 * Exit codes are hyperfine's business: a failing command stops hyperfine, and the run fails with
 * its message; with `-i` the user said that non-zero codes are expected, and they are kept.
 * hyperfine has no filter: it times all its commands, and benchgate drops those not asked for.
 */
import { lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { median } from 'simple-statistics';
import { HarnessError, execOrFail, shellQuote, type HarnessAdapter, type HarnessFigures } from './adapter.js';
import { MAX_BENCHMARKS } from './run-once.js';

/** Largest export read. */
export const MAX_EXPORT_BYTES = 64 * 1024 * 1024;

const HARNESS = 'hyperfine';

/** The `hyperfine` harness adapter. */
export const hyperfineAdapter: HarnessAdapter = {
  harness: HARNESS,
  prefix: 'hyperfine',
  run: async (ctx) => {
    if (/(^|\s)--export-json\b/.test(ctx.command))
      throw new HarnessError(`${HARNESS}: leave --export-json out of the command: benchgate adds its own`);
    const file = join(ctx.tempDir, 'out.json');
    await execOrFail(ctx, HARNESS, `${ctx.command} --export-json ${shellQuote(file)}`);
    return parseHyperfineExport(readExport(file));
  },
  parse: (text) => parseHyperfineExport(text),
};

function readExport(path: string): string {
  let stat;
  try {
    stat = lstatSync(path);
  } catch {
    throw new HarnessError(
      `${HARNESS}: the command wrote no --export-json file; is it a hyperfine invocation that ends with hyperfine's own arguments?`,
    );
  }
  if (!stat.isFile()) throw new HarnessError(`${HARNESS}: the --export-json path ${path} is not a plain file`);
  if (stat.size > MAX_EXPORT_BYTES)
    throw new HarnessError(`${HARNESS}: the --export-json file is ${stat.size} bytes, more than ${MAX_EXPORT_BYTES}`);
  return readFileSync(path, 'utf8');
}

/** Reads a hyperfine `--export-json` document: one result per command. */
export function parseHyperfineExport(text: string): HarnessFigures[] {
  if (text.trim() === '') throw new HarnessError(`${HARNESS}: the --export-json file is empty`);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new HarnessError(`${HARNESS}: the --export-json file is not JSON (${(e as Error).message})`);
  }
  const results = isObject(doc) ? doc.results : undefined;
  if (!Array.isArray(results)) throw new HarnessError(`${HARNESS}: the --export-json file has no results[] list`);
  if (results.length > MAX_BENCHMARKS)
    throw new HarnessError(`${HARNESS}: the export has ${results.length} results, more than ${MAX_BENCHMARKS}`);
  const figures = results.map((r, i) => resultFigures(r, `results[${i}]`));
  const names = figures.map((f) => f.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined)
    throw new HarnessError(
      `${HARNESS}: two commands are both named ${JSON.stringify(twice)}; give each its own --command-name`,
    );
  return figures;
}

function resultFigures(r: unknown, at: string): HarnessFigures {
  if (!isObject(r)) throw new HarnessError(`${HARNESS}: ${at} is not an object`);
  const name = r.command;
  if (typeof name !== 'string' || name === '' || name.length > 1000 || /\p{Cc}/u.test(name))
    throw new HarnessError(
      `${HARNESS}: ${at}.command must be a name of 1–1000 characters without control characters; give the command a --command-name`,
    );
  const seconds = r.median === undefined ? secondsAt(r.mean, `${at}.mean`) : secondsAt(r.median, `${at}.median`);
  const figures: HarnessFigures = { name, seconds, values: {} };
  if (r.times !== undefined) figures.samples = numbers(r.times, `${at}.times`).length;
  if (r.memory_usage_byte !== undefined) {
    const bytes = numbers(r.memory_usage_byte, `${at}.memory_usage_byte`);
    if (bytes.length > 0) figures.values['peak-memory'] = median(bytes);
  }
  return figures;
}

function secondsAt(v: unknown, at: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
    throw new HarnessError(`${HARNESS}: ${at} must be a non-negative number of seconds but got ${show(v)}`);
  return v;
}

function numbers(v: unknown, at: string): number[] {
  if (!Array.isArray(v)) throw new HarnessError(`${HARNESS}: ${at} must be a list of numbers but got ${show(v)}`);
  const i = v.findIndex((x) => typeof x !== 'number' || !Number.isFinite(x) || x < 0);
  if (i >= 0) throw new HarnessError(`${HARNESS}: ${at}[${i}] must be a non-negative number but got ${show(v[i])}`);
  return v as number[];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A value for an error message: short, and a number as JavaScript spells it (1e400 is Infinity). */
function show(v: unknown): string {
  return typeof v === 'number' ? String(v) : (JSON.stringify(v) ?? String(v)).slice(0, 80);
}

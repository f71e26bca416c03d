/**
 * The `json` harness: for any tool benchgate has no adapter for. benchgate runs the command with
 * `BENCHGATE_OUTPUT` set to a file path in a fresh folder; the command writes there (or, when it
 * leaves that file absent, to its stdout, which must then be the document alone) a JSON document:
 *
 *     {"benchmarks": {"parse/small": {"time": 0.000125, "peak-memory": 52428800, "rows/s": 8.1e6}}}
 *
 * or the same without the wrapper: `{"parse/small": {...}}` (a document with a top-level
 * `benchmarks` key is always read as the wrapped form; other top-level keys are then ignored).
 * - a name: 1–200 characters, no control characters; at most 10 000 benchmarks;
 * - its figures, by measure name: `time` (seconds per call), `peak-memory` (bytes), `allocated`
 *   (bytes per call), `allocations` (per call), `instructions`, `throughput` (bytes per second),
 *   a figure in the tool's own unit `<unit>/op` or `<unit>/s`, or a count `counter:<name>`;
 *   each a non-negative number. A benchmark without `time` timed nothing but its other figures.
 * When benchgate wants only some benchmarks it sets `BENCHGATE_ONLY` to their names, one per
 * line; a command may ignore it (benchgate drops the others). A non-zero exit fails the run.
 */
import { lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMeasureName } from '../model.js';
import { HarnessError, execOrFail, type HarnessAdapter, type HarnessFigures } from './adapter.js';
import { MAX_BENCHMARKS } from './run-once.js';

/** Largest document read, file or stdout. */
export const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;

const HARNESS = 'json';
const NAME = /^[^\p{Cc}]{1,200}$/u;

/** The `json` harness adapter: runs the command once and reads the document it wrote. */
export const jsonAdapter: HarnessAdapter = {
  harness: HARNESS,
  prefix: 'json',
  run: async (ctx) => {
    if (ctx.only !== null && ctx.only.length === 0) return [];
    const output = join(ctx.tempDir, 'out.json');
    const env: Record<string, string> = { BENCHGATE_OUTPUT: output };
    if (ctx.only !== null) env.BENCHGATE_ONLY = ctx.only.join('\n');
    const r = await execOrFail(ctx, HARNESS, ctx.command, env);
    const fromFile = readOutputFile(output);
    return parseJsonDocument(fromFile ?? r.stdout, fromFile === null ? 'stdout' : '$BENCHGATE_OUTPUT');
  },
  parse: parseJsonDocument,
};

/** The output file's text, or null when the command left it absent. */
function readOutputFile(path: string): string | null {
  let stat;
  try {
    stat = lstatSync(path);
  } catch {
    return null;
  }
  if (!stat.isFile()) throw new HarnessError(`${HARNESS}: $BENCHGATE_OUTPUT (${path}) is not a plain file`);
  if (stat.size > MAX_DOCUMENT_BYTES)
    throw new HarnessError(`${HARNESS}: $BENCHGATE_OUTPUT is ${stat.size} bytes, more than ${MAX_DOCUMENT_BYTES}`);
  return readFileSync(path, 'utf8');
}

/** Reads a benchmark document (the format in this file's comment); `source` names where it came from in errors. */
export function parseJsonDocument(text: string, source: string): HarnessFigures[] {
  if (Buffer.byteLength(text) > MAX_DOCUMENT_BYTES)
    throw new HarnessError(`${HARNESS}: ${source} is more than ${MAX_DOCUMENT_BYTES} bytes`);
  if (text.trim() === '')
    throw new HarnessError(`${HARNESS}: the command wrote nothing, neither to $BENCHGATE_OUTPUT nor to stdout`);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new HarnessError(`${HARNESS}: ${source} is not JSON (${(e as Error).message})`);
  }
  const top = object(doc, '(document)', source);
  const wrapped = Object.hasOwn(top, 'benchmarks');
  const benchmarks = wrapped ? object(top.benchmarks, 'benchmarks', source) : top;
  const entries = Object.entries(benchmarks);
  if (entries.length > MAX_BENCHMARKS)
    throw new HarnessError(`${HARNESS}: ${source} has ${entries.length} benchmarks, more than ${MAX_BENCHMARKS}`);
  return entries.map(([name, raw]) => {
    const path = `${wrapped ? 'benchmarks' : ''}[${JSON.stringify(name.slice(0, 200))}]`;
    if (!NAME.test(name))
      throw new HarnessError(
        `${HARNESS}: ${source} ${path}: a name must be 1–200 characters without control characters`,
      );
    return figuresOf(name, object(raw, path, source), path, source);
  });
}

function figuresOf(name: string, raw: Record<string, unknown>, path: string, source: string): HarnessFigures {
  let seconds: number | null = null;
  const values: Record<string, number> = {};
  for (const [measure, value] of Object.entries(raw)) {
    const at = `${path}[${JSON.stringify(measure.slice(0, 100))}]`;
    if (!isMeasureName(measure))
      throw new HarnessError(
        `${HARNESS}: ${source} ${at}: not a measure (time, peak-memory, allocated, allocations, instructions, throughput, <unit>/op, <unit>/s or counter:<name>)`,
      );
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
      throw new HarnessError(`${HARNESS}: ${source} ${at}: must be a non-negative number but got ${show(value)}`);
    if (measure === 'time') seconds = value;
    else values[measure] = value;
  }
  return { name, seconds, values };
}

function object(v: unknown, path: string, source: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new HarnessError(
      `${HARNESS}: ${source} ${path}: must be an object but got ${Array.isArray(v) ? 'an array' : show(v)}`,
    );
  return v as Record<string, unknown>;
}

/** A value for an error message: short, and a number as JavaScript spells it (1e400 is Infinity). */
function show(v: unknown): string {
  return typeof v === 'number' ? String(v) : (JSON.stringify(v) ?? String(v)).slice(0, 80);
}

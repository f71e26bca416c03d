/**
 * The vitest bench adapter: runs the user's `vitest bench --run` with `--outputJson` into the run's
 * folder and reads every benchmark's median back. A benchmark is named like vitest names it,
 * `<file> > <describe> > <bench>`, the file relative to vitest's root
 * (`bench/sort.bench.ts > sort > numeric compare`).
 */
import { existsSync, lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HarnessError, shellQuote, type Executed, type HarnessAdapter, type HarnessFigures } from './adapter.js';

const HARNESS = 'vitest';

/** Between a benchmark's file, its describe blocks and its own name, as vitest writes them. */
const SEPARATOR = ' > ';

/** Largest JSON report read; vitest leaves the samples out of it, so real ones are small. */
const MAX_REPORT_BYTES = 64 * 1024 * 1024;

/** Longest `only` filter put on the command line; beyond it all benchmarks run and benchgate drops the rest. */
const MAX_FILTER_CHARS = 64 * 1024;

/** Runs vitest benchmarks and reads vitest's JSON benchmark report. */
export const vitestAdapter: HarnessAdapter = {
  harness: HARNESS,
  prefix: 'vitest',
  async run(ctx) {
    if (ctx.only !== null && ctx.only.length === 0) return [];
    const report = join(ctx.tempDir, 'vitest-bench.json');
    const commandLine = `${ctx.command}${filterArguments(ctx.only)} --outputJson ${shellQuote(report)}`;
    const r = await ctx.exec(commandLine, { env: { NO_COLOR: '1' } });
    // A benchmark that throws still exits 0 (it comes back without timings); a non-zero exit is a
    // file that did not load, a bad config or a crash.
    if (r.code !== 0)
      throw new HarnessError(`${HARNESS}: \`${commandLine}\` ${r.killed ?? `exited with code ${r.code}`}${summary(r)}`);
    if (!existsSync(report))
      throw new HarnessError(
        `${HARNESS}: \`${commandLine}\` wrote no benchmark report: is it \`vitest bench\` (it alone takes --outputJson)?`,
      );
    return parseVitestReport(readReport(report));
  },
  parse: (text, source) => parseVitestReport(parseReportText(text, source)),
};

/**
 * vitest's filters for `only`: each benchmark's file as a positional file filter, and one
 * anchored `--testNamePattern` over the rest of its name. vitest matches that pattern against the
 * describe blocks and the bench's name joined by spaces, which either form of the separator matches.
 */
export function filterArguments(only: string[] | null): string {
  if (only === null) return '';
  const files = new Set<string>();
  const names: string[] = [];
  for (const name of only) {
    const cut = name.indexOf(SEPARATOR);
    if (cut <= 0) return '';
    files.add(name.slice(0, cut));
    names.push(
      escapeRegex(name.slice(cut + SEPARATOR.length))
        .split(SEPARATOR)
        .join('(?: | > )'),
    );
  }
  const args = [...[...files].map(shellQuote), '--testNamePattern', shellQuote(`^(?:${names.join('|')})$`)];
  const text = ` ${args.join(' ')}`;
  return text.length > MAX_FILTER_CHARS ? '' : text;
}

/** Escapes the characters that are syntax in a JavaScript regular expression. */
function escapeRegex(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

/**
 * The figures in a parsed vitest benchmark report (`{ files: [{ groups: [{ fullName, benchmarks }] }] }`):
 * the median in milliseconds (the mean where a vitest does not give one) and the sample count.
 * A benchmark without timings threw: it comes back errored.
 */
export function parseVitestReport(report: unknown): HarnessFigures[] {
  const figures: HarnessFigures[] = [];
  const files = arrayAt(report, 'files', 'files');
  files.forEach((file, f) => {
    arrayAt(file, 'groups', `files[${f}].groups`).forEach((group, g) => {
      const at = `files[${f}].groups[${g}]`;
      const groupName = stringAt(group, 'fullName', `${at}.fullName`);
      arrayAt(group, 'benchmarks', `${at}.benchmarks`).forEach((bench, b) => {
        figures.push(figuresOf(bench, groupName, `${at}.benchmarks[${b}]`));
      });
    });
  });
  return figures;
}

/** One benchmark of the report; `at` is its path in the report, for errors. */
function figuresOf(bench: unknown, groupName: string, at: string): HarnessFigures {
  const name = `${groupName}${SEPARATOR}${stringAt(bench, 'name', `${at}.name`)}`;
  const median = numberAt(bench, 'median', `${at}.median`) ?? numberAt(bench, 'mean', `${at}.mean`);
  if (median === null)
    return {
      name,
      seconds: null,
      values: {},
      failure: {
        state: 'errored',
        reason: 'vitest reported no timings: the benchmark threw (vitest does not say why)',
      },
    };
  const figures: HarnessFigures = { name, seconds: median / 1000, values: {} };
  const samples = numberAt(bench, 'sampleCount', `${at}.sampleCount`);
  if (samples !== null) figures.samples = samples;
  return figures;
}

/** The report file parsed, at most {@link MAX_REPORT_BYTES}. */
function readReport(path: string): unknown {
  const stat = lstatSync(path);
  if (!stat.isFile()) throw new HarnessError(`${HARNESS}: the benchmark report ${path} is not a regular file`);
  const size = stat.size;
  if (size > MAX_REPORT_BYTES)
    throw new HarnessError(`${HARNESS}: the benchmark report is ${size} bytes, more than ${MAX_REPORT_BYTES}`);
  return parseReportText(readFileSync(path, 'utf8'), 'the benchmark report');
}

/** A report's text as JSON; `source` names it in the error. */
function parseReportText(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new HarnessError(`${HARNESS}: ${source} is not valid JSON: ${(e as Error).message}`);
  }
}

/** `value[key]` when `value` is an object that has `key` itself (never an inherited property). */
function own(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.hasOwn(value, key)
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

/** The array at `value[key]`; `at` names it in errors. */
function arrayAt(value: unknown, key: string, at: string): unknown[] {
  const v = own(value, key);
  if (!Array.isArray(v)) throw new HarnessError(`${HARNESS}: the benchmark report's '${at}' is not an array`);
  return v;
}

/** The non-empty string at `value[key]`; `at` names it in errors. */
function stringAt(value: unknown, key: string, at: string): string {
  const v = own(value, key);
  if (typeof v !== 'string' || v === '')
    throw new HarnessError(`${HARNESS}: the benchmark report's '${at}' is not a non-empty string`);
  return v;
}

/** A non-negative finite number, or null when absent (JSON writes a NaN as null). */
function numberAt(value: unknown, key: string, at: string): number | null {
  const v = own(value, key);
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
    throw new HarnessError(`${HARNESS}: the benchmark report's '${at}' is not a non-negative number`);
  return v;
}

/** What vitest said about a failed run: its first failed file and error, else its last lines. */
function summary(r: Executed): string {
  // eslint-disable-next-line no-control-regex
  const plain = `${r.stderr}\n${r.stdout}`.replace(/\x1b\[[0-9;]*m/g, '');
  const lines = plain.split('\n').filter((l) => l.trim() !== '');
  const failed = lines.findIndex((l) => /^\s*FAIL\b/.test(l));
  const shown = (failed >= 0 ? lines.slice(failed, failed + 2) : lines.slice(-5)).map((l) => l.trim());
  return shown.length > 0 ? `:\n${shown.join('\n')}` : '';
}

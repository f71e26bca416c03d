/**
 * A report that arrives as a workflow artifact from a pull request's run is untrusted data (a fork
 * controls that run). It is size-capped, parsed, and checked field by field against the RunReport
 * model before anything renders or posts it; the first problem is named by its path.
 */
import type { RunReport } from '../model.js';
import { summarise } from '../report/summary.js';

/** The artifact is not a report we will post. */
export class UntrustedReportError extends Error {
  override name = 'UntrustedReportError';
}

/** Larger artifacts are refused before parsing. */
export const MAX_REPORT_BYTES = 32 * 1024 * 1024;

type Json = Record<string, unknown>;

function bad(path: string, expected: string, got: unknown): never {
  const shown = JSON.stringify(got)?.slice(0, 80) ?? String(got);
  throw new UntrustedReportError(`report ${path} must be ${expected} but got ${shown}`);
}

const obj = (v: unknown, p: string): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : bad(p, 'an object', v));
const arr = (v: unknown, p: string, max: number): unknown[] => (Array.isArray(v) && v.length <= max ? v : bad(p, `an array of at most ${max} items`, v));
const str = (v: unknown, p: string, max = 1000): string => (typeof v === 'string' && v.length <= max ? v : bad(p, `a string of at most ${max} characters`, v));
const nstr = (v: unknown, p: string, max = 1000): string | null => (v === null ? null : str(v, p, max));
const num = (v: unknown, p: string): number => (typeof v === 'number' && Number.isFinite(v) ? v : bad(p, 'a finite number', v));
const nnum = (v: unknown, p: string): number | null => (v === null ? null : num(v, p));
const count = (v: unknown, p: string): number => (Number.isInteger(v) && (v as number) >= 0 ? (v as number) : bad(p, 'a count', v));
const one = <T extends string>(v: unknown, p: string, values: readonly T[]): T => (values.includes(v as T) ? (v as T) : bad(p, `one of ${values.join(', ')}`, v));
const sha = (v: unknown, p: string): string | null => (v === null ? null : typeof v === 'string' && /^[0-9a-f]{7,64}$/.test(v) ? v : bad(p, 'a commit SHA or null', v));

function revision(v: unknown, p: string): RunReport['head'] {
  const o = obj(v, p);
  return { sha: sha(o.sha, `${p}.sha`), ref: nstr(o.ref, `${p}.ref`), dirty: o.dirty === true, message: nstr(o.message, `${p}.message`, 10_000), committedAt: nstr(o.committedAt, `${p}.committedAt`, 40) };
}

const STATES = ['completed', 'errored', 'skipped'] as const;
const VERDICTS = ['regressed', 'improved', 'unchanged', 'inconclusive'] as const;

function benchmark(v: unknown, p: string): RunReport['benchmarks'][number] {
  const o = obj(v, p);
  const w = obj(o.work, `${p}.work`);
  const vd = obj(o.verdict, `${p}.verdict`);
  return {
    name: str(o.name, `${p}.name`),
    kernel: str(o.kernel, `${p}.kernel`),
    implementation: str(o.implementation, `${p}.implementation`),
    fixture: str(o.fixture, `${p}.fixture`),
    fixtureChecksum: str(o.fixtureChecksum, `${p}.fixtureChecksum`, 200),
    work: { flops: nnum(w.flops, `${p}.work.flops`), bytes: nnum(w.bytes, `${p}.work.bytes`) },
    ...(o.presence === undefined ? {} : { presence: one(o.presence, `${p}.presence`, ['both', 'added', 'removed'] as const) }),
    state: one(o.state, `${p}.state`, STATES),
    reason: nstr(o.reason, `${p}.reason`, 10_000),
    medianSeconds: nnum(o.medianSeconds, `${p}.medianSeconds`),
    spreadPct: nnum(o.spreadPct, `${p}.spreadPct`),
    baselineMedianSeconds: nnum(o.baselineMedianSeconds, `${p}.baselineMedianSeconds`),
    gflops: nnum(o.gflops, `${p}.gflops`),
    gbps: nnum(o.gbps, `${p}.gbps`),
    // Measurements are not shown in comments or checks: dropped rather than trusted.
    measurements: [],
    verdict: {
      verdict: one(vd.verdict, `${p}.verdict.verdict`, VERDICTS),
      method: str(vd.method, `${p}.verdict.method`, 100),
      changePct: nnum(vd.changePct, `${p}.verdict.changePct`),
      ciLowPct: nnum(vd.ciLowPct, `${p}.verdict.ciLowPct`),
      ciHighPct: nnum(vd.ciHighPct, `${p}.verdict.ciHighPct`),
      pValue: nnum(vd.pValue, `${p}.verdict.pValue`),
      thresholdPct: nnum(vd.thresholdPct, `${p}.verdict.thresholdPct`),
      reason: str(vd.reason, `${p}.verdict.reason`, 10_000),
      details: {},
    },
  };
}

/** Parses and checks an artifact's text; the summary is recounted from the benchmarks, not believed. */
export function parseUntrustedReport(text: string): RunReport {
  if (Buffer.byteLength(text) > MAX_REPORT_BYTES) throw new UntrustedReportError(`report is larger than ${MAX_REPORT_BYTES} bytes`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new UntrustedReportError(`report is not JSON: ${(e as Error).message}`);
  }
  const o = obj(raw, '(top level)');
  if (o.schema !== 'benchgate.run/v1') bad('schema', "'benchgate.run/v1'", o.schema);
  const t = obj(o.testbed, 'testbed');
  const benchmarks = arr(o.benchmarks, 'benchmarks', 100_000).map((b, i) => benchmark(b, `benchmarks[${i}]`));
  return {
    schema: 'benchgate.run/v1',
    id: typeof o.id === 'string' && /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(o.id) ? o.id : bad('id', 'a run id (letters, digits, ., _, -)', o.id),
    kind: one(o.kind, 'kind', ['history', 'compare'] as const),
    project: str(o.project, 'project', 200),
    profile: str(o.profile, 'profile', 50),
    startedAt: str(o.startedAt, 'startedAt', 40),
    finishedAt: str(o.finishedAt, 'finishedAt', 40),
    testbed: {
      key: str(t.key, 'testbed.key', 200),
      cpuModel: str(t.cpuModel, 'testbed.cpuModel', 200),
      cores: count(t.cores, 'testbed.cores'),
      simd: str(t.simd, 'testbed.simd', 50),
      os: str(t.os, 'testbed.os', 100),
      node: str(t.node, 'testbed.node', 50),
      gpu: nstr(t.gpu, 'testbed.gpu', 200),
    },
    head: revision(o.head, 'head'),
    base: o.base === null ? null : revision(o.base, 'base'),
    settings: {},
    benchmarks,
    summary: summarise(benchmarks),
  };
}

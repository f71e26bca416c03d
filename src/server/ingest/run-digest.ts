/**
 * Digests of a run's content, stored at ingestion to tell a retry (same content: a no-op) from a
 * conflicting re-use of a run id. The digest covers every field `validateRun` returns, in the
 * model's order whatever the order posted; free-form objects (settings, verdict details) are
 * hashed with their keys sorted. Digests written by earlier servers stay recognised.
 */
import { createHash } from 'node:crypto';
import type {
  BenchmarkResult,
  ProcessMeasurement,
  ProfileTreeNode,
  Revision,
  RunReport,
  Verdict,
} from '../../model.js';

const sortedKeys = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(sortedKeys)
    : v !== null && typeof v === 'object'
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, sortedKeys((v as Record<string, unknown>)[k])]),
        )
      : v;

const hasKeys = (o: Record<string, unknown>): boolean => {
  for (const _ in o) return true;
  return false;
};

/**
 * A report's fields as two streams: every number (and boolean, count, null) as a little-endian
 * float64, and every string (or null) in one JSON array. Formatting ~10,000 numbers as decimal
 * text was most of the time of the JSON digest (1.8 ms for a 500-benchmark run); writing their
 * bytes is not. Array lengths are written before their items, so the streams decode one way.
 */
class FieldStream {
  readonly strings: (string | null)[] = [];
  private bytes = new DataView(new ArrayBuffer(1 << 16));
  private length = 0;

  number(x: number | boolean | null | undefined): void {
    if (this.length + 8 > this.bytes.byteLength) {
      const grown = new DataView(new ArrayBuffer(this.bytes.byteLength * 2));
      new Uint8Array(grown.buffer).set(new Uint8Array(this.bytes.buffer));
      this.bytes = grown;
    }
    // null and absent are NaN (validated numbers are finite); -0 is 0, as in JSON.
    const v = x === null || x === undefined ? NaN : typeof x === 'boolean' ? (x ? 1 : 0) : x === 0 ? 0 : x;
    this.bytes.setFloat64(this.length, v, true);
    this.length += 8;
  }

  string(s: string | null | undefined): void {
    this.strings.push(s ?? null);
  }

  /** Free-form objects: their JSON with keys sorted at every level. */
  object(o: Record<string, unknown>): void {
    this.strings.push(hasKeys(o) ? JSON.stringify(sortedKeys(o)) : '{}');
  }

  digest(): string {
    return createHash('sha256')
      .update('benchgate.run-digest/4\n')
      .update(new Uint8Array(this.bytes.buffer, 0, this.length))
      .update(JSON.stringify(this.strings))
      .digest('hex');
  }
}

function revision(f: FieldStream, r: Revision): void {
  f.string(r.sha);
  f.string(r.ref);
  f.number(r.dirty);
  f.string(r.message);
  f.string(r.committedAt);
}

function measurement(f: FieldStream, m: ProcessMeasurement): void {
  f.number(m.round);
  f.string(m.side);
  f.string(m.state);
  f.string(m.reason);
  f.number(m.samples);
  f.number(m.medianSeconds);
  f.number(m.meanSeconds);
  f.number(m.minSeconds);
  f.number(m.maxSeconds);
  f.number(m.madSeconds);
  f.object(m.values ?? {});
  // Runs from before the block ratio existed keep the digest they had.
  if (m.blockLogRatio !== undefined) f.number(m.blockLogRatio);
}

function verdict(f: FieldStream, v: Verdict | null): void {
  f.string(v === null ? null : v.kind);
  if (v === null) return;
  f.string(v.method);
  f.number(v.changePct);
  f.number(v.ciLowPct);
  f.number(v.ciHighPct);
  f.number(v.pValue);
  f.number(v.thresholdPct);
  f.string(v.reason);
  f.object(v.details);
}

/** A call-tree node and, after the count of its children, each child's: depth first. */
function treeNode(f: FieldStream, n: ProfileTreeNode): void {
  f.string(n.function);
  f.string(n.file);
  f.number(n.line);
  f.number(n.baseTotalMsPerCall);
  f.number(n.headTotalMsPerCall);
  f.number(n.baseSelfMsPerCall);
  f.number(n.headSelfMsPerCall);
  f.number(n.children.length);
  for (const c of n.children) treeNode(f, c);
}

function benchmark(f: FieldStream, b: BenchmarkResult): void {
  f.string(b.name);
  f.string(b.kernel);
  f.string(b.implementation);
  f.string(b.fixture);
  f.string(b.fixtureChecksum);
  f.number(b.work.flops);
  f.number(b.work.bytes);
  f.string(b.presence);
  f.string(b.state);
  f.string(b.reason);
  f.number(b.medianSeconds);
  f.number(b.spreadPct);
  f.number(b.baselineMedianSeconds);
  f.number(b.gflops);
  f.number(b.gbps);
  f.number(b.measurements.length);
  for (const m of b.measurements) measurement(f, m);
  verdict(f, b.verdict);
  f.number(b.gated !== false);
  f.number(b.measures.length);
  for (const o of b.measures) {
    f.string(o.measure);
    f.number(o.gated);
    f.number(o.median);
    f.number(o.baselineMedian);
    verdict(f, o.verdict);
  }
  // Only when present, so the digests of runs without one are what they were.
  if (b.keptProfile !== undefined) {
    f.string('keptProfile');
    f.number(b.keptProfile.calls);
    f.number(b.keptProfile.functions.length);
    for (const k of b.keptProfile.functions) {
      f.string(k.function);
      f.string(k.file);
      f.number(k.line);
      f.number(k.msPerCall);
    }
  }
  if (b.keptCountProfile !== undefined) {
    const k = b.keptCountProfile;
    f.string('keptCountProfile');
    f.string(k.unit);
    f.string(k.profiler);
    f.number(k.calls);
    f.number(k.functions.length);
    for (const c of k.functions) {
      f.string(c.function);
      f.string(c.file);
      f.number(c.line);
      f.number(c.perCall);
    }
  }
  // A profile's call tree likewise: runs without one keep their digest.
  if (b.profile?.tree !== undefined) {
    f.string('profileTree');
    f.number(b.profile.tree.pruned);
    treeNode(f, b.profile.tree.root);
  }
}

/** The digest stored for a run ingested now: every field of the validated report (see FieldStream). */
export function reportDigest(report: RunReport): string {
  const f = new FieldStream();
  f.string(report.schema);
  f.string(report.id);
  f.string(report.kind);
  f.string(report.project);
  f.string(report.profile);
  f.string(report.startedAt);
  f.string(report.finishedAt);
  const t = report.testbed;
  f.string(t.key);
  f.string(t.cpuModel);
  f.number(t.cores);
  f.string(t.simd);
  f.string(t.os);
  f.string(t.node);
  f.string(t.gpu);
  revision(f, report.head);
  f.number(report.base !== null);
  if (report.base !== null) revision(f, report.base);
  f.object(report.settings);
  const s = report.summary;
  for (const n of [s.regressed, s.improved, s.unchanged, s.inconclusive, s.errored, s.skipped, s.added, s.removed])
    f.number(n);
  f.number(report.benchmarks.length);
  for (const b of report.benchmarks) benchmark(f, b);
  return f.digest();
}

/** The digest servers stored from migration 4 until the field digest: the JSON of the report in model order. */
export function jsonReportDigest(report: RunReport): string {
  const canonical = {
    ...report,
    settings: sortedKeys(report.settings),
    benchmarks: report.benchmarks.map((b) =>
      b.verdict !== null && hasKeys(b.verdict.details)
        ? { ...b, verdict: { ...b.verdict, details: sortedKeys(b.verdict.details) } }
        : b,
    ),
  };
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

/** The digest that servers before migration 4 stored: keys sorted at every level. */
export function legacyReportDigest(report: RunReport): string {
  return createHash('sha256')
    .update(JSON.stringify(sortedKeys(report)))
    .digest('hex');
}

/** True when `stored` (a digest of any generation) is the digest of `report`. */
export function sameDigest(stored: string, report: RunReport): boolean {
  return (
    stored === reportDigest(report) || stored === jsonReportDigest(report) || stored === legacyReportDigest(report)
  );
}

/**
 * The stored A/A rounds in the shape the replay needs: per benchmark and round, the head and
 * base process summaries, keeping only rounds where every benchmark completed on both sides.
 */
import { median } from 'simple-statistics';
import type { ProcessMeasurement, RunReport } from '../../src/model.js';
import { sideCostMs } from '../../src/measure/task-times.js';
import { openStore } from '../../src/store/open.js';
import { loadRun } from '../../src/store/runs.js';

/** One process's summary of one benchmark. */
export interface ProcessValue {
  median: number;
  mean: number;
  /** Robust SD of the within-process samples (1.4826·MAD). */
  sd: number;
  samples: number;
}

/** The replayable data: `head[b][r]`, `base[b][r]` for benchmark b and usable round r. */
export interface ReplayData {
  runId: string;
  names: string[];
  rounds: number;
  head: ProcessValue[][];
  base: ProcessValue[][];
  /**
   * Measuring seconds per side and round, per benchmark: its timed calls and warm-up as stored
   * (src/measure/task-times.ts) plus an even share of the rest (set-ups, process start-up).
   */
  secondsPerTask: number[];
  /**
   * A harness collection's measured seconds per round (median, both sides): a harness run costs
   * about the same whichever of its benchmarks it runs, so a replayed round costs this. Null for a suite's.
   */
  secondsPerRound: number | null;
  /** Other gated, noisy measures the collection's benchmarks reported (compare gives time a share of α). */
  gatedOthers: number;
  /** Benchmarks left out (never completed on both sides), with why. */
  dropped: string[];
  /** The stored processes behind `head[b][r]` and `base[b][r]` (their other measures' figures). */
  processes: { head: ProcessMeasurement; base: ProcessMeasurement }[][];
}

const valueOf = (m: ProcessMeasurement): ProcessValue => ({
  median: m.medianSeconds as number,
  mean: m.meanSeconds ?? (m.medianSeconds as number),
  sd: 1.4826 * (m.madSeconds ?? 0),
  samples: m.samples,
});

/** Loads the newest A/A collection (or run `id`) from `dbPath`. */
export function loadReplayData(dbPath: string, id: string | null = null): ReplayData {
  const db = openStore(dbPath);
  let report: RunReport | null;
  try {
    const runId =
      id ??
      (
        db
          .prepare(
            `SELECT id FROM run WHERE kind = 'compare' AND json_extract(settings_json, '$.detection') = 'A/A' ORDER BY rowid DESC LIMIT 1`,
          )
          .get() as { id: string } | undefined
      )?.id;
    if (runId === undefined)
      throw new Error(`${dbPath} holds no A/A collection: run npm run bench:detection without --replay first`);
    report = loadRun(db, runId);
    if (report === null) throw new Error(`${dbPath} has no run ${runId}`);
  } finally {
    db.close();
  }
  const ok = (m: ProcessMeasurement) => m.state === 'completed' && m.medianSeconds !== null && m.medianSeconds > 0;
  const dropped: string[] = [];
  const kept = report.benchmarks.filter((b) => {
    const good = b.measurements.some(ok);
    if (!good) dropped.push(`${b.name} (${b.state}: ${b.reason ?? 'no completed process'})`);
    return good;
  });
  const roundIds = [...new Set(kept.flatMap((b) => b.measurements.map((m) => m.round)))].sort((a, b) => a - b);
  const complete = roundIds.filter((r) =>
    kept.every((b) =>
      (['head', 'base'] as const).every((side) =>
        b.measurements.some((m) => m.round === r && m.side === side && ok(m)),
      ),
    ),
  );
  const processes = kept.map((b) =>
    complete.map((r) => {
      const find = (side: 'head' | 'base') =>
        b.measurements.find((m) => m.round === r && m.side === side && ok(m)) as ProcessMeasurement;
      return { head: find('head'), base: find('base') };
    }),
  );
  const pick = (side: 'head' | 'base') =>
    kept.map((b) =>
      complete.map((r) =>
        valueOf(b.measurements.find((m) => m.round === r && m.side === side && ok(m)) as ProcessMeasurement),
      ),
    );
  const settings = report.settings as {
    measuringSeconds?: number;
    rounds?: number;
    taskTimeMs?: number;
    roundSeconds?: number[];
    gatedOthers?: number;
  };
  if (Array.isArray(settings.roundSeconds) && settings.roundSeconds.length > 0) {
    const perRound = median(settings.roundSeconds);
    return {
      runId: report.id,
      names: kept.map((b) => b.name),
      rounds: complete.length,
      head: pick('head'),
      base: pick('base'),
      secondsPerTask: kept.map(() => perRound / (2 * kept.length)),
      secondsPerRound: perRound,
      gatedOthers: settings.gatedOthers ?? 0,
      dropped,
      processes,
    };
  }
  // Over the benchmarks that ran: skipped ones cost a process in the first round only, and
  // replayed comparisons count only the benchmarks kept (their first-round cost is spread over those).
  const tasks = Math.max(1, (settings.rounds ?? complete.length) * 2 * kept.length);
  const own = kept.map((b) => {
    const ms = b.measurements.filter(ok);
    const callMs = 1000 * median(ms.map((m) => m.medianSeconds as number));
    return sideCostMs(settings.taskTimeMs ?? 0, callMs) / 1000;
  });
  const shared =
    Math.max(0, (settings.measuringSeconds ?? 0) - (tasks / kept.length) * own.reduce((a, b) => a + b, 0)) / tasks;
  return {
    runId: report.id,
    names: kept.map((b) => b.name),
    rounds: complete.length,
    head: pick('head'),
    base: pick('base'),
    secondsPerTask: own.map((o) => o + shared),
    secondsPerRound: null,
    gatedOthers: 0,
    dropped,
    processes,
  };
}

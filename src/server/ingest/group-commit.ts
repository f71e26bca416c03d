/**
 * Group commit for uploads: runs posted while the server is busy are stored together in one
 * SQLite transaction, each inside its own savepoint (`ingestRun`), and every upload is answered
 * only after that transaction has committed. A commit writes each dirty page once, so runs that
 * share it share the writes of the pages they all touch (one leaf per benchmark in the series
 * index: ~500 of the ~540 pages a 500-benchmark run dirties). A run that fails rolls back alone;
 * a commit that fails stores none of its runs and fails each of their uploads.
 */
import type Database from 'better-sqlite3';
import type { RunReport } from '../../model.js';
import { ingestRun, type IngestOutcome } from './ingest.js';

interface Pending {
  report: RunReport;
  resolve: (outcome: IngestOutcome) => void;
  reject: (error: unknown) => void;
}

/** Most runs stored in one transaction (bounds the latency a large burst adds to its first upload). */
export const GROUP_COMMIT_MAX_RUNS = 16;

/** Stores `reports` in one transaction; each entry is the run's outcome or the error that failed it. */
export function ingestBatch(db: Database.Database, reports: RunReport[], branch: string): (IngestOutcome | Error)[] {
  const outcomes: (IngestOutcome | Error)[] = [];
  db.transaction(() => {
    for (const report of reports) {
      // Some errors (disk full, I/O) make SQLite roll back the whole transaction: the runs after
      // them would then be written one by one outside it, so the batch stops there and fails.
      if (!db.inTransaction) throw new Error('the transaction was rolled back by SQLite');
      try {
        outcomes.push(ingestRun(db, report, branch));
      } catch (e) {
        outcomes.push(e instanceof Error ? e : new Error(String(e)));
      }
    }
  })();
  return outcomes;
}

/** Longest a queued run waits for uploads still arriving before its group is committed. */
export const GROUP_COMMIT_MAX_WAIT_MS = 20;

/**
 * Queues runs and stores them in group commits. The server brackets each upload with `begin`
 * (before reading its body) and `end` (once its run is submitted or refused): a queued run is
 * committed as soon as no other upload is arriving, or after `maxWaitMs`, so a lone upload is
 * never held back and concurrent ones share a transaction.
 */
export class GroupCommit {
  private queue: Pending[] = [];
  private arriving = 0;
  private scheduled = false;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  /**
   * Transactions committed and runs submitted so far (runs per commit shows how much was shared),
   * and uploads arriving now.
   */
  readonly stats = { commits: 0, runs: 0, arriving: 0 };

  constructor(
    private readonly db: Database.Database,
    private readonly branch: string,
    private readonly maxRuns = GROUP_COMMIT_MAX_RUNS,
    private readonly maxWaitMs = GROUP_COMMIT_MAX_WAIT_MS,
  ) {}

  /** An upload has started arriving: hold the next commit for it (up to `maxWaitMs`). */
  begin(): void {
    this.stats.arriving = ++this.arriving;
  }

  /** An upload has been submitted or refused. */
  end(): void {
    this.stats.arriving = --this.arriving;
    if (this.arriving === 0 && this.queue.length > 0) this.schedule();
  }

  /** Stores `report` with the runs arriving alongside it; resolves once its transaction has committed. */
  submit(report: RunReport): Promise<IngestOutcome> {
    if (this.closed) return Promise.reject(new Error('the server is closing'));
    return new Promise((resolve, reject) => {
      this.queue.push({ report, resolve, reject });
      if (this.arriving === 0) this.schedule();
      else this.timer ??= setTimeout(() => this.schedule(), this.maxWaitMs);
    });
  }

  private schedule(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  /** Stores everything queued now; `close` calls it so no accepted upload is left unanswered. */
  flush(): void {
    this.scheduled = false;
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxRuns);
      this.stats.commits++;
      this.stats.runs += batch.length;
      let outcomes: (IngestOutcome | Error)[];
      try {
        outcomes = ingestBatch(
          this.db,
          batch.map((p) => p.report),
          this.branch,
        );
      } catch (e) {
        for (const p of batch) p.reject(e);
        continue;
      }
      batch.forEach((p, i) => {
        const outcome = outcomes[i] as IngestOutcome | Error;
        if (outcome instanceof Error) p.reject(outcome);
        else p.resolve(outcome);
      });
    }
  }

  /** Stores what is queued and refuses further runs. */
  close(): void {
    this.flush();
    this.closed = true;
  }
}

/** What every resource handler gets: the open store and the server's settings. */
import type Database from 'better-sqlite3';
import type { IncomingMessage } from 'node:http';
import type { ChangePointSettings } from '../store/change-points.js';
import type { SeriesKey } from '../store/series.js';
import type { IngestOutcome } from './ingest/ingest.js';
import type { RunReport } from '../model.js';

/** Settings of a running service (validated by the CLI through src/config/schema.ts). */
export interface ServiceSettings {
  /** The branch whose history runs make the series. */
  branch: string;
  /** Base URL for commit links, or null. */
  repositoryUrl: string | null;
  /** When set, reads need `Authorization: Bearer <this>` (or a write token). */
  readToken: string | null;
  /** Host names the server answers besides loopback (checked against the Host header), or null. */
  allowedHosts: string[] | null;
  /** Largest accepted request body, in bytes. */
  maxBodyBytes: number;
  changePoints: ChangePointSettings;
}

/** The store and settings a handler works with. */
export interface Context {
  /** The store; read-only for GET handlers where the store allows. */
  db: Database.Database;
  settings: ServiceSettings;
  /** Asks for stale change points to be recomputed soon (a no-op in export). */
  scheduleChangePoints: () => void;
  /** Recomputes and stores a stale series' change points now, before it is read. */
  refreshSeries: (key: SeriesKey) => void;
  /** Stores a validated run (group-committed with concurrent uploads); resolves once committed. */
  ingest: (report: RunReport) => Promise<IngestOutcome>;
}

/** Path parameters of a matched route, as strings. */
export type Params = Record<string, string>;

/** A GET handler: returns the JSON body (throws HttpError for 404 and friends); `query` is the URL's search parameters. */
export type Reader = (ctx: Context, params: Params, query: URLSearchParams) => unknown;

/** A POST handler: takes the parsed body, returns (or resolves to) status and JSON body. */
export type Writer = (
  ctx: Context,
  params: Params,
  body: unknown,
  req: IncomingMessage,
) => WriteResult | Promise<WriteResult>;

/** What a POST handler answers. */
export interface WriteResult {
  status: number;
  body: unknown;
}

/** One API endpoint. */
export interface Route {
  method: 'GET' | 'POST';
  /** Path under /api/v1 with `:name` parameters, e.g. `/runs/:id`. */
  path: string;
  read?: Reader;
  write?: Writer;
}

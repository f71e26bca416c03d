/**
 * The numbered, forward-only migrations. A migration is never edited once released: change the
 * schema by appending the next number. `PRAGMA user_version` records how many have run.
 */
import { sql as m001 } from './001-measurements.js';
import { sql as m002 } from './002-verdicts.js';
import { sql as m003 } from './003-server.js';
import { sql as m004 } from './004-lean-indexes.js';
import { sql as m005 } from './005-series-points.js';
import { sql as m006 } from './006-result-presence.js';
import { sql as m007 } from './007-measures.js';
import { sql as m008 } from './008-block-ratios.js';
import { sql as m009 } from './009-held-shards.js';
import { sql as m010 } from './010-result-profiles.js';
import { sql as m011 } from './011-kept-profiles.js';
import { sql as m012 } from './012-kept-count-profiles.js';

/** One schema step. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** All migrations, in order; `version` is the position, starting at 1. */
export const migrations: Migration[] = [
  { version: 1, name: 'measurements', sql: m001 },
  { version: 2, name: 'verdicts', sql: m002 },
  { version: 3, name: 'server', sql: m003 },
  { version: 4, name: 'lean-indexes', sql: m004 },
  { version: 5, name: 'series-points', sql: m005 },
  { version: 6, name: 'result-presence', sql: m006 },
  { version: 7, name: 'measures', sql: m007 },
  { version: 8, name: 'block-ratios', sql: m008 },
  { version: 9, name: 'held-shards', sql: m009 },
  { version: 10, name: 'result-profiles', sql: m010 },
  { version: 11, name: 'kept-profiles', sql: m011 },
  { version: 12, name: 'kept-count-profiles', sql: m012 },
];

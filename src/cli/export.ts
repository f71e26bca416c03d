/** `benchgate export`: the dashboard and its data as static files, e.g. for GitHub Pages. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError } from '../config/parse.js';
import { rebuildHistory } from '../github/rebuild-history.js';
import { resolveConfig } from '../config/schema.js';
import { exportStatic } from '../server/export-static.js';
import { serviceSettings } from '../server/settings.js';
import { openStore, storeFault } from '../store/open.js';
import { EXIT } from '../errors.js';
import type { Command } from './command.js';

export const command: Command = {
  name: 'export',
  summary: 'write the dashboard as static files (GitHub Pages) with the data as JSON',
  usage: 'benchgate export --out DIR [--db PATH | --runs DIR] [--repository-url URL]',
  configKeys: ['db', 'out', 'repository-url', 'main-branch', 'change-point-window'],
  extraOptions: {
    runs: {
      type: 'string',
      describe:
        "a checkout of the action's data branch: the history is rebuilt from its run files instead of read from --db",
    },
  },
  async main(flags) {
    const { runs, ...rest } = flags;
    const config = resolveConfig(rest);
    if (config.out === null) throw new ConfigError("'out' is required: benchgate export --out DIR");
    if (typeof runs === 'string') {
      if (!existsSync(runs)) throw new ConfigError(`'runs' must be a checkout of the data branch but got '${runs}'`);
      const scratch = mkdtempSync(join(tmpdir(), 'benchgate-export-'));
      try {
        const db = join(scratch, 'history.db');
        const built = rebuildHistory(resolve(runs), db, (m) => process.stderr.write(`${m}\n`));
        process.stderr.write(`benchgate: rebuilt the history from ${built.added} run files of ${runs}\n`);
        return await command.main({ ...rest, db }, []);
      } finally {
        rmSync(scratch, { recursive: true, force: true });
      }
    }
    const db = openStore(config.db, { readonly: true });
    try {
      const s = exportStatic(db, serviceSettings(config), config.out);
      for (const id of s.skipped)
        process.stderr.write(`benchgate: skipped run ${JSON.stringify(id)}: its id cannot be used as a file name\n`);
      process.stdout.write(
        `benchgate: wrote ${s.files} files (${s.projects} projects, ${s.series} series, ${s.runs} runs) to ${config.out}\n`,
      );
    } catch (e) {
      throw storeFault(e, config.db) ?? e;
    } finally {
      db.close();
    }
    return EXIT.ok;
  },
};

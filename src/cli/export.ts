/** `benchgate export`: the dashboard and its data as static files, e.g. for GitHub Pages. */
import { ConfigError } from '../config/parse.js';
import { resolveConfig } from '../config/schema.js';
import { exportStatic } from '../server/export-static.js';
import { serviceSettings } from '../server/settings.js';
import { openStore, storeFault } from '../store/open.js';
import { EXIT } from '../errors.js';
import type { Command } from './command.js';

export const command: Command = {
  name: 'export',
  summary: 'write the dashboard as static files (GitHub Pages) with the data as JSON',
  usage: 'benchgate export --out DIR [--db PATH] [--repository-url URL]',
  configKeys: ['db', 'out', 'repository-url', 'main-branch', 'change-point-window'],
  async main(flags) {
    const config = resolveConfig(flags);
    if (config.out === null) throw new ConfigError("'out' is required: benchgate export --out DIR");
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

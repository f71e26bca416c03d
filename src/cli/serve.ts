/** `benchgate serve`: the JSON API and dashboard over the SQLite history. */
import { readTokenOf } from '../config/read-token.js';
import { resolveConfig } from '../config/schema.js';
import { serviceSettings } from '../server/settings.js';
import { startServer } from '../server/app.js';
import { openStore } from '../store/open.js';
import { EXIT } from '../errors.js';
import type { Command } from './command.js';

export const command: Command = {
  name: 'serve',
  summary: 'serve the dashboard and the JSON API over the history database',
  usage:
    'benchgate serve [--db PATH] [--port 8080] [--host 127.0.0.1] [--read-token-file PATH] [--allowed-hosts NAMES] [--repository-url URL]',
  configKeys: [
    'db',
    'port',
    'host',
    'read-token',
    'read-token-file',
    'allowed-hosts',
    'repository-url',
    'main-branch',
    'change-point-window',
  ],
  async main(flags) {
    const config = resolveConfig(flags);
    const readToken = readTokenOf(config.readToken, config.readTokenFile, process.env);
    const db = openStore(config.db);
    const running = await startServer({
      db,
      host: config.host,
      port: config.port,
      ...serviceSettings(config),
      readToken,
    }).catch((e: unknown) => {
      db.close();
      throw e;
    });
    process.stdout.write(`benchgate: serving ${config.db} at ${running.url} (Ctrl-C stops)\n`);
    await new Promise<void>((resolve) => {
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve());
    });
    await running.close();
    db.close();
    return EXIT.ok;
  },
};

/** `benchgate token create|revoke|list`: API tokens for `POST /api/v1/...` (stored hashed). */
import { ConfigError } from '../config/parse.js';
import { resolveConfig } from '../config/schema.js';
import { openStore, storeFault } from '../store/open.js';
import { createToken, listTokens, revokeToken } from '../store/tokens.js';
import { EXIT } from '../errors.js';
import type { Command } from './command.js';

export const command: Command = {
  name: 'token',
  summary: 'create, revoke or list API tokens (a new token is printed once)',
  usage: 'benchgate token create --name NAME | token revoke (--name NAME | --id ID) | token list [--db PATH]',
  configKeys: ['db'],
  extraOptions: {
    name: { type: 'string', describe: 'token name (create, revoke)' },
    id: { type: 'string', describe: 'token id (revoke)' },
  },
  async main(flags, [action]) {
    const config = resolveConfig({ db: flags.db, config: flags.config });
    const db = openStore(config.db, { readonly: action === 'list' });
    try {
      if (action === 'create') {
        if (typeof flags.name !== 'string')
          throw new ConfigError("'name' is required: benchgate token create --name NAME");
        const { token, info } = createToken(db, flags.name);
        process.stderr.write(`benchgate: created token '${info.name}' (id ${info.id}); it is shown only this once:\n`);
        process.stdout.write(`${token}\n`);
      } else if (action === 'revoke') {
        const which = typeof flags.id === 'string' ? flags.id : flags.name;
        if (typeof which !== 'string')
          throw new ConfigError("'name' or 'id' is required: benchgate token revoke --name NAME");
        const info = revokeToken(db, which);
        process.stdout.write(`benchgate: revoked token '${info.name}' (id ${info.id})\n`);
      } else if (action === 'list') {
        for (const t of listTokens(db))
          process.stdout.write(
            `${t.id}\t${t.name}\tcreated ${t.createdAt}\t${t.revokedAt ? `revoked ${t.revokedAt}` : `last used ${t.lastUsedAt ?? 'never'}`}\n`,
          );
      } else {
        throw new ConfigError(
          `token needs an action: create, revoke or list (got ${action === undefined ? 'none' : `'${action}'`})`,
        );
      }
    } catch (e) {
      throw storeFault(e, config.db) ?? e;
    } finally {
      db.close();
    }
    return EXIT.ok;
  },
};

/**
 * Where `serve`'s read token comes from: `read-token`, else the file `read-token-file` names, else
 * the environment variable BENCHGATE_READ_TOKEN. The last two keep it out of `ps` and shell history.
 */
import { readFileSync } from 'node:fs';
import { ConfigError, secret } from './parse.js';

/** The environment variable that may hold the read token. */
export const READ_TOKEN_VARIABLE = 'BENCHGATE_READ_TOKEN';

/** The read token from the first source that has one, or null; `file` is an absolute path. */
export function readTokenOf(token: string | null, file: string | null, env: NodeJS.ProcessEnv): string | null {
  if (token !== null && file !== null)
    throw new ConfigError(`'read-token' and 'read-token-file' are both set: give the token one way`, 'read-token-file');
  if (token !== null) return token;
  if (file !== null) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new ConfigError(`'read-token-file' cannot be read: ${(e as Error).message}`, 'read-token-file');
    }
    return secret('read-token-file')(text) as string;
  }
  const fromEnv = env[READ_TOKEN_VARIABLE];
  return fromEnv === undefined || fromEnv === '' ? null : (secret(READ_TOKEN_VARIABLE)(fromEnv) as string);
}

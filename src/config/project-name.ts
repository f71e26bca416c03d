/** The project name stored with runs: package.json's name, else the folder's name. */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/** Names the project at `cwd`. */
export function projectName(cwd: string): string {
  try {
    const name = (JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8')) as { name?: unknown }).name;
    if (typeof name === 'string' && name !== '') return name;
  } catch {
    // no package.json: fall back to the folder
  }
  return basename(cwd);
}

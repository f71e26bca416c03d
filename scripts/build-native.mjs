// Builds the native addon (node-gyp, run through npm so it uses npm's node-gyp and local headers).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const nativeDir = join(root, 'native');
if (existsSync(join(nativeDir, 'binding.gyp'))) {
  const r = spawnSync('node-gyp', ['rebuild'], { cwd: nativeDir, stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

/**
 * A source path as a differential names it: relative to the revision's checkout. Debug info keeps
 * the path the binary was compiled at, which is not always inside the checkout being profiled: a
 * build reused from another folder, a CI cache, a container's `/src`. Such a path is named by its
 * longest tail that exists in the checkout (`/build/x/native/src/a.cc` → `native/src/a.cc`), so
 * the base and the head name the same function alike; a path with no such tail stays absolute.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join, normalize, relative, sep } from 'node:path';

/** `path` relative to `root` (with `/`), or its longest tail found under `root`, else as it is. */
export function checkoutPath(path: string, root: string): string {
  if (!isAbsolute(path)) return path.split(sep).join('/');
  const clean = normalize(path);
  const rel = relative(root, clean);
  if (!rel.startsWith('..') && !isAbsolute(rel)) return rel.split(sep).join('/');
  const parts = clean.split(sep).filter((p) => p !== '');
  for (let k = 1; k < parts.length; k++) {
    const tail = parts.slice(k);
    if (existsSync(join(root, ...tail))) return tail.join('/');
  }
  return clean.split(sep).join('/');
}

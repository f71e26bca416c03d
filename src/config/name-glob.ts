/** Globs over benchmark names (`kernel/implementation/fixture`): `*` also matches across `/`, as in bash. */
import picomatch from 'picomatch';

/** A test of names against one glob or several (any matches). */
export function nameGlob(patterns: string | string[]): (name: string) => boolean {
  return picomatch(patterns, { bash: true });
}

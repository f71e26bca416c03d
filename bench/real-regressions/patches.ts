/**
 * The corpus of real slowdowns: each patch is a small JSON file under ./patches/ naming a file of
 * benchgate's kernels, the exact text to replace and its replacement, the extra work it is meant
 * to add and the benchmarks it should hit. Patches are applied by string replacement that fails
 * loudly when the text is not found exactly once, so a kernel that drifted breaks the corpus
 * visibly instead of silently measuring nothing.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One replacement inside the patched file. */
export interface Replacement {
  find: string;
  with: string;
}

/** One patch of the corpus. */
export interface RegressionPatch {
  id: string;
  language: 'ts' | 'native';
  bound: 'compute' | 'memory';
  /** How real regressions come about: "redundant pass over part of the data", "smaller block size", … */
  how: string;
  description: string;
  /** The extra work it was made to add, in percent, and how that figure was arrived at. */
  intendedExtraPct: number;
  intendedNote: string;
  /** The benchmarks (full names, quick profile) it should slow down. */
  benchmarks: string[];
  /** Path relative to the repository root. */
  file: string;
  replace: Replacement[];
}

/** The folder holding the patch files. */
export const PATCH_DIR = 'bench/real-regressions/patches';

const str = (v: unknown, what: string): string => {
  if (typeof v !== 'string' || v === '') throw new Error(`${what} must be a non-empty string`);
  return v;
};

/** Reads and checks one patch file. */
export function readPatch(file: string): RegressionPatch {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const where = (key: string) => `${file}: '${key}'`;
  const replace = raw.replace;
  if (!Array.isArray(replace) || replace.length === 0) throw new Error(`${where('replace')} must be a non-empty list`);
  const benchmarks = raw.benchmarks;
  if (!Array.isArray(benchmarks) || benchmarks.length === 0)
    throw new Error(`${where('benchmarks')} must be a non-empty list`);
  if (raw.language !== 'ts' && raw.language !== 'native') throw new Error(`${where('language')} must be ts or native`);
  if (raw.bound !== 'compute' && raw.bound !== 'memory') throw new Error(`${where('bound')} must be compute or memory`);
  if (typeof raw.intendedExtraPct !== 'number') throw new Error(`${where('intendedExtraPct')} must be a number`);
  return {
    id: str(raw.id, where('id')),
    language: raw.language,
    bound: raw.bound,
    how: str(raw.how, where('how')),
    description: str(raw.description, where('description')),
    intendedExtraPct: raw.intendedExtraPct,
    intendedNote: str(raw.intendedNote, where('intendedNote')),
    benchmarks: benchmarks.map((b, i) => str(b, `${where('benchmarks')}[${i}]`)),
    file: str(raw.file, where('file')),
    replace: replace.map((r: Record<string, unknown>, i) => ({
      find: str(r?.find, `${where('replace')}[${i}].find`),
      with: str(r?.with, `${where('replace')}[${i}].with`),
    })),
  };
}

/** Every patch of the corpus, by file name order; `only` (ids) selects some, in its order, and must all exist. */
export function loadPatches(root: string, only: string[] | null): RegressionPatch[] {
  const dir = join(root, PATCH_DIR);
  const all = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => readPatch(join(dir, f)));
  if (only === null) return all;
  const missing = only.filter((id) => !all.some((p) => p.id === id));
  if (missing.length > 0)
    throw new Error(`no such patch: ${missing.join(', ')} (have: ${all.map((p) => p.id).join(', ')})`);
  return only.map((id) => all.find((p) => p.id === id) as RegressionPatch);
}

/** The text with every replacement made; throws naming the patch when a `find` is not there exactly once. */
export function patchedText(patch: RegressionPatch, text: string): string {
  let out = text;
  patch.replace.forEach((r, i) => {
    const times = out.split(r.find).length - 1;
    if (times !== 1)
      throw new Error(
        `patch ${patch.id}: replacement ${i} expects its text exactly once in ${patch.file}, found it ${times} times (the kernel drifted: update the patch)`,
      );
    out = out.replace(r.find, () => r.with);
  });
  return out;
}

/** Applies the patch to the checkout at `root`, in place. */
export function applyPatch(root: string, patch: RegressionPatch): void {
  const file = join(root, patch.file);
  writeFileSync(file, patchedText(patch, readFileSync(file, 'utf8')));
}

/**
 * Names a profiled function's place as a person would look for it: the TypeScript source and line
 * where the compiled file has a source map beside it (`x.js.map`, which `tsc` writes with
 * `sourceMap` on, as this repository's tsconfig has it), else the JavaScript file and line;
 * relative to the revision's checkout, so base and head (two worktrees) name a function alike.
 * Frames with no file (V8's `(program)`, `(garbage collector)`, a native addon's functions) keep
 * an empty file; Node's own modules keep their `node:` URL.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CallFrame } from './cpu-profile.js';

/** Largest source map read, in bytes; a larger one is not used (the JS position is named). */
export const MAX_SOURCE_MAP_BYTES = 32 * 1024 * 1024;

/** A function's place: file relative to the checkout (or as V8 gave it) and 1-based line (0: none). */
export interface Place {
  file: string;
  line: number;
}

function readCapped(path: string): string | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    const size = fstatSync(fd).size;
    if (size > MAX_SOURCE_MAP_BYTES) return null;
    const buffer = Buffer.alloc(size);
    return buffer.toString('utf8', 0, readSync(fd, buffer, 0, size, 0));
  } finally {
    closeSync(fd);
  }
}

/** The source map beside `jsFile` (`jsFile.map`), or null when there is none or it does not parse. */
function loadMap(jsFile: string): SourceMap | null {
  const text = readCapped(`${jsFile}.map`);
  if (text === null) return null;
  try {
    const payload: unknown = JSON.parse(text);
    if (typeof payload !== 'object' || payload === null || !Array.isArray((payload as { sources?: unknown }).sources))
      return null;
    return new SourceMap(payload as ConstructorParameters<typeof SourceMap>[0]);
  } catch {
    return null;
  }
}

/** A path shown relative to `root` when inside it, with `/` separators. */
function shown(path: string, root: string): string {
  const rel = relative(root, path);
  return (rel.startsWith('..') || isAbsolute(rel) ? path : rel).split(sep).join('/');
}

/** Resolves call frames of one revision to places, reading each source map once. */
export class SourceResolver {
  private readonly maps = new Map<string, SourceMap | null>();

  /** `root`: the revision's checkout, the base that files are named relative to. */
  constructor(private readonly root: string) {}

  /** The place of a frame's function (its first line). */
  place(frame: CallFrame): Place {
    const line = frame.lineNumber + 1;
    if (!frame.url.startsWith('file:')) return { file: frame.url, line: frame.url === '' ? 0 : line };
    let path: string;
    try {
      path = fileURLToPath(frame.url);
    } catch {
      return { file: frame.url, line };
    }
    if (!this.maps.has(path)) this.maps.set(path, loadMap(path));
    const map = this.maps.get(path) ?? null;
    const entry = map && frame.lineNumber >= 0 ? this.entry(map, frame) : null;
    if (entry === null) return { file: shown(path, this.root), line };
    const source = entry.originalSource.startsWith('file:')
      ? fileURLToPath(entry.originalSource)
      : resolve(dirname(path), entry.originalSource);
    return { file: shown(source, this.root), line: entry.originalLine + 1 };
  }

  private entry(map: SourceMap, frame: CallFrame): { originalSource: string; originalLine: number } | null {
    try {
      const e = map.findEntry(frame.lineNumber, Math.max(0, frame.columnNumber)) as Partial<{
        originalSource: string;
        originalLine: number;
      }>;
      return typeof e.originalSource === 'string' && typeof e.originalLine === 'number'
        ? { originalSource: e.originalSource, originalLine: e.originalLine }
        : null;
    } catch {
      return null;
    }
  }
}

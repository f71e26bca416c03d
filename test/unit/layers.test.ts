/**
 * Imports run one way, down the flow: a module may import from its own room or from a room of a
 * lower layer, never from a higher one or from another room of its own layer.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Rooms of src/ by layer, entry points first; a room is a folder, or a file at the top of src/. */
const LAYERS: string[][] = [
  ['cli', 'action'],
  ['pipeline', 'server', 'github'],
  ['report', 'roofline', 'profile'],
  ['measure', 'harness', 'git', 'store'],
  ['config', 'addon'],
  ['stats', 'validate'],
  ['model.ts', 'errors.ts', 'random.ts', 'child-env.ts'],
];

const SRC = resolve(__dirname, '../../src');
const layerOf = new Map(LAYERS.flatMap((rooms, layer) => rooms.map((room) => [room, layer] as const)));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

const roomOf = (file: string): string => relative(SRC, file).split('/')[0] as string;

/** Every relative import of `file` that leaves src/'s room structure downhill or sideways. */
function importsOf(file: string): { from: string; to: string }[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((m) => m[1] as string);
  return specs.map((spec) => ({
    from: roomOf(file),
    to: roomOf(resolve(dirname(file), spec.replace(/\.js$/, '.ts'))),
  }));
}

describe('the layers of src/', () => {
  const files = sources(SRC);

  it('names every room of src/ in exactly one layer', () => {
    const rooms = [...new Set(files.map(roomOf))].sort();
    expect(rooms.filter((r) => !layerOf.has(r))).toEqual([]);
  });

  it('has no import from a higher layer or a sibling room', () => {
    const wrong = files.flatMap((file) =>
      importsOf(file)
        .filter(({ from, to }) => from !== to && (layerOf.get(to) ?? -1) <= (layerOf.get(from) ?? -1))
        .map(({ to }) => `${relative(SRC, file)} → ${to}`),
    );
    expect(wrong).toEqual([]);
  });
});

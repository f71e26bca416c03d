/**
 * A regression's call tree (`profile.tree`) from outside: validated with errors that name the
 * node's path, bounded in nodes, depth and name lengths; kept by the store; covered by the
 * ingestion digest only where a run has one, so earlier runs keep theirs.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  MAX_TREE_DEPTH,
  MAX_TREE_NODES,
  type BenchmarkProfile,
  type ProfileTreeNode,
  type RunReport,
} from '../../../src/model.js';
import { reportDigest } from '../../../src/server/ingest/run-digest.js';
import { openStore } from '../../../src/store/open.js';
import { loadRun, saveRun } from '../../../src/store/runs.js';
import { validateRun } from '../../../src/validate/run.js';
import { tempDir } from '../../helpers.js';
import { CPU_TREE, PROFILED, profiledRun } from '../../fixtures/store/profiled-run.js';

/** The fixture run as posted JSON, its profiled benchmark's tree root replaced by `root` (when given). */
function posted(root?: unknown): Record<string, unknown> {
  const run = JSON.parse(JSON.stringify(profiledRun('tree-1'))) as { benchmarks: Record<string, unknown>[] };
  const b = run.benchmarks.find((x) => x.name === PROFILED)!;
  if (root !== undefined) (b.profile as { tree: { root: unknown } }).tree.root = root;
  return run as unknown as Record<string, unknown>;
}

const index = profiledRun().benchmarks.findIndex((b) => b.name === PROFILED);
const leaf = (fn = 'f'): ProfileTreeNode => ({
  function: fn,
  file: 'a.ts',
  line: 1,
  baseTotalMsPerCall: 1,
  headTotalMsPerCall: 2,
  baseSelfMsPerCall: 1,
  headSelfMsPerCall: 2,
  children: [],
});
const treeOf = (r: RunReport): BenchmarkProfile['tree'] => r.benchmarks.find((b) => b.name === PROFILED)?.profile?.tree;

describe('validateRun on a profile’s call tree', () => {
  it('takes the tree benchgate writes, unchanged', () => {
    expect(treeOf(validateRun(posted()))).toEqual(CPU_TREE);
  });

  it('names the node whose field is wrong', () => {
    const bad = structuredClone(CPU_TREE.root) as unknown as { children: Record<string, unknown>[] };
    (bad.children[0]!.children as Record<string, unknown>[])[1]!.headTotalMsPerCall = -1;
    expect(() => validateRun(posted(bad))).toThrow(
      `benchmarks[${index}].profile.tree.root.children[0].children[1].headTotalMsPerCall must be a finite number from 0`,
    );
    for (const [field, value] of [
      ['baseSelfMsPerCall', Infinity],
      ['baseTotalMsPerCall', '1'],
      ['line', -2],
      ['function', 'a\u0000b'],
      ['file', 'x'.repeat(301)],
      ['function', 'x'.repeat(201)],
      ['children', {}],
    ] as const) {
      const n = { ...leaf(), [field]: value };
      expect(() => validateRun(posted(n)), field).toThrow(`profile.tree.root.${field} must be`);
    }
  });

  it('refuses more than the node cap and deeper than the depth cap', () => {
    const wide = { ...leaf(), children: Array.from({ length: MAX_TREE_NODES }, () => leaf()) };
    expect(() => validateRun(posted(wide))).toThrow(
      `profile.tree must be a call tree of at most ${MAX_TREE_NODES} nodes but got "more at benchmarks[${index}].profile.tree.root.children[${MAX_TREE_NODES - 1}]"`,
    );
    // MAX_TREE_DEPTH + 1 nodes below the root.
    let deep = leaf();
    for (let i = 0; i <= MAX_TREE_DEPTH; i++) deep = { ...leaf(), children: [deep] };
    expect(() => validateRun(posted(deep))).toThrow(/children must be empty: a call tree is at most 64 nodes deep/);
    // One level less is fine.
    expect(treeOf(validateRun(posted(deep.children[0])))?.root.function).toBe('f');
    // A very deep posted document stops at the cap, not at the stack's end.
    let deeper: unknown = leaf();
    for (let i = 0; i < 100_000; i++) deeper = { ...leaf(), children: [deeper] };
    expect(() => validateRun(posted(deeper))).toThrow(/at most 64 nodes deep/);
  });

  it('takes a profile without a tree, as runs before it were written', () => {
    const run = posted();
    const b = (run.benchmarks as Record<string, Record<string, unknown>>[])[index]!;
    delete b.profile!.tree;
    expect(validateRun(run).benchmarks[index]?.profile).not.toHaveProperty('tree');
  });
});

describe('a profile’s call tree in the store and the ingestion digest', () => {
  it('is kept through a save and a load', () => {
    const db = openStore(join(tempDir(), 'tree.db'));
    const run = validateRun(posted());
    expect(saveRun(db, run)).toBe(true);
    expect(treeOf(loadRun(db, run.id)!)).toEqual(CPU_TREE);
    db.close();
  });

  it('leaves the digest of a run without a tree as it was, and covers every leaf of a tree', () => {
    const run = validateRun(posted());
    const withoutTree = structuredClone(run);
    delete withoutTree.benchmarks[index]!.profile!.tree;
    const withoutProfile = structuredClone(run);
    delete withoutProfile.benchmarks[index]!.profile;
    // Profiles other than the tree are not in the digest: a run without a tree hashes as before.
    expect(reportDigest(withoutTree)).toBe(reportDigest(withoutProfile));
    const digest = reportDigest(run);
    expect(digest).not.toBe(reportDigest(withoutTree));
    const leaves: (string | number)[][] = [];
    const walk = (v: unknown, path: (string | number)[]): void => {
      if (v !== null && typeof v === 'object')
        for (const [k, x] of Object.entries(v)) walk(x, [...path, Array.isArray(v) ? Number(k) : k]);
      else leaves.push(path);
    };
    walk(run.benchmarks[index]!.profile!.tree, []);
    expect(leaves.length).toBeGreaterThan(40);
    for (const path of leaves) {
      const copy = structuredClone(run);
      let parent = copy.benchmarks[index]!.profile!.tree as unknown as Record<string | number, unknown>;
      for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
      const last = path.at(-1) as string | number;
      parent[last] = typeof parent[last] === 'string' ? `${parent[last] as string}x` : (parent[last] as number) + 1;
      expect(reportDigest(copy), path.join('.')).not.toBe(digest);
    }
    // Where a node sits matters: moving a leaf up a level changes it.
    const moved = structuredClone(run);
    const root = moved.benchmarks[index]!.profile!.tree!.root;
    const ensemble = root.children[0]!;
    root.children.push(ensemble.children.pop()!);
    expect(reportDigest(moved)).not.toBe(digest);
  });
});

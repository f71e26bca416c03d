/**
 * The differential call tree on small hand-built `.cpuprofile`s, whose inclusive and self times
 * per call are worked out by hand, and on the real profiles of test/fixtures/profile (a helper
 * two calls deep doubles its work on the head). Also its pruning, caps and hostile input.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MAX_TREE_DEPTH, MAX_TREE_NAME, type ProfileTreeNode } from '../../../src/model.js';
import { differentialTree, growthPath, TREE_ROOT, type TreeSide } from '../../../src/profile/call-tree.js';
import { checkCpuProfile, parseCpuProfile, type CallFrame } from '../../../src/profile/cpu-profile.js';
import { SourceResolver } from '../../../src/profile/source-map.js';
import { ROOT } from '../../helpers.js';

const HARNESS = 'file:///bench/dist/src/profile/profile-worker.js';
const SUITE = 'file:///repo/suite.js';

/** A node of a hand-built profile: id, function, URL (line 10 × id), children. */
type Spec = [id: number, fn: string, url: string, children: number[]];

/** The call tree the hand-built profiles share. */
const NODES: Spec[] = [
  [1, '(root)', '', [2, 9, 10, 11]],
  [2, 'main', HARNESS, [3]],
  [3, 'callFor', HARNESS, [4, 8]],
  [4, 'kernel', SUITE, [5, 7]],
  [5, 'middle', SUITE, [6]],
  [6, 'leafWork', SUITE, []],
  [7, 'ownWork', SUITE, []],
  [8, 'now', 'node:internal/perf/performance', []],
  [9, '(garbage collector)', '', []],
  [10, '(idle)', '', []],
  [11, '(program)', '', []],
];

/** A `.cpuprofile` over `nodes` whose samples last the given microseconds per node id. */
function cpuprofile(nodes: Spec[], micros: Record<number, number>): unknown {
  const samples: number[] = [];
  const durations: number[] = [];
  for (const [id, us] of Object.entries(micros)) {
    // In 100 µs ticks, as V8 samples.
    for (let left = us; left > 0; left -= 100) {
      samples.push(Number(id));
      durations.push(Math.min(100, left));
    }
  }
  // Each tick's delta is the previous sample's duration; the last lasts until endTime.
  const timeDeltas = durations.map((_, i) => (i === 0 ? 0 : (durations[i - 1] as number)));
  const total = durations.reduce((a, b) => a + b, 0);
  return {
    nodes: nodes.map(([id, functionName, url, children]) => ({
      id,
      callFrame: { functionName, url, lineNumber: url === '' ? -1 : id * 10 - 1, columnNumber: 0, scriptId: '1' },
      children,
    })),
    startTime: 1000,
    endTime: 1000 + total,
    samples,
    timeDeltas,
  };
}

function side(nodes: Spec[], micros: Record<number, number>, calls: number): TreeSide {
  return {
    profile: checkCpuProfile(cpuprofile(nodes, micros), 'a hand-built profile'),
    calls,
    place: (f: CallFrame) => ({ file: f.url.replace('file:///repo/', ''), line: f.url === '' ? 0 : f.lineNumber + 1 }),
    isHarness: (f: CallFrame) => f.url === HARNESS,
  };
}

/** The node reached by following function names from the root. */
function at(root: ProfileTreeNode, ...names: string[]): ProfileTreeNode {
  let n = root;
  for (const name of names) {
    const next = n.children.find((c) => c.function === name);
    if (next === undefined)
      throw new Error(`no ${name} under ${n.function} (has ${n.children.map((c) => c.function).join(', ')})`);
    n = next;
  }
  return n;
}

const count = (n: ProfileTreeNode): number => 1 + n.children.reduce((k, c) => k + count(c), 0);
const depth = (n: ProfileTreeNode): number => n.children.reduce((d, c) => Math.max(d, depth(c) + 1), 0);

describe('the differential call tree of hand-built profiles', () => {
  // Base: 2 calls. Head: 4 calls, leafWork's time per call doubled, the rest the same per call.
  const base = side(NODES, { 2: 300, 3: 200, 4: 1000, 5: 400, 6: 2000, 7: 1600, 8: 500, 9: 200, 10: 9000, 11: 600 }, 2);
  const head = side(NODES, { 3: 400, 4: 2000, 5: 800, 6: 8000, 7: 3200, 8: 900, 9: 400, 10: 100, 11: 1200 }, 4);
  const tree = differentialTree(base, head);

  it('starts at the benchmark: the loop, its clock and idle time are left out; GC and (program) hang under the root', () => {
    expect(tree.root.function).toBe(TREE_ROOT);
    expect(tree.root.children.map((c) => c.function)).toEqual(['kernel', '(program)', '(garbage collector)']);
    expect(at(tree.root, 'kernel')).toMatchObject({ file: 'suite.js', line: 40 });
    expect(at(tree.root, 'kernel').children.map((c) => c.function)).toEqual(['middle', 'ownWork']);
    expect(tree.pruned).toBe(0);
  });

  it('gives each node its inclusive and self time per call on each side', () => {
    // Root: kernel's subtree (5000 µs base, 14,000 head) + GC + (program), over 2 and 4 calls.
    expect(tree.root).toMatchObject({
      baseTotalMsPerCall: (5000 + 200 + 600) / 2 / 1000,
      headTotalMsPerCall: (14_000 + 400 + 1200) / 4 / 1000,
      baseSelfMsPerCall: 0,
      headSelfMsPerCall: 0,
    });
    expect(at(tree.root, 'kernel')).toMatchObject({
      baseTotalMsPerCall: 2.5,
      headTotalMsPerCall: 3.5,
      baseSelfMsPerCall: 0.5,
      headSelfMsPerCall: 0.5,
    });
    expect(at(tree.root, 'kernel', 'middle')).toMatchObject({
      baseTotalMsPerCall: 1.2,
      headTotalMsPerCall: 2.2,
      baseSelfMsPerCall: 0.2,
      headSelfMsPerCall: 0.2,
    });
    expect(at(tree.root, 'kernel', 'middle', 'leafWork')).toMatchObject({
      baseTotalMsPerCall: 1,
      headTotalMsPerCall: 2,
      baseSelfMsPerCall: 1,
      headSelfMsPerCall: 2,
    });
    expect(at(tree.root, '(garbage collector)')).toMatchObject({ file: '', line: 0, baseTotalMsPerCall: 0.1 });
  });

  it('follows the growth down to the function whose own time grew', () => {
    expect(growthPath(tree.root).map((n) => n.function)).toEqual([TREE_ROOT, 'kernel', 'middle', 'leafWork']);
  });

  it('matches a function across the sides by its path: the same function under another caller is another node', () => {
    const nodes: Spec[] = [
      [1, '(root)', '', [2]],
      [2, 'callFor', HARNESS, [3, 5]],
      [3, 'kernel', SUITE, [4]],
      [4, 'helper', SUITE, []],
      [5, 'other', SUITE, [6]],
      [6, 'helper', SUITE, []],
    ];
    const t = differentialTree(side(nodes, { 4: 1000, 6: 3000 }, 1), side(nodes, { 4: 1000, 6: 3000 }, 1));
    expect(at(t.root, 'kernel', 'helper').headTotalMsPerCall).toBe(1);
    expect(at(t.root, 'other', 'helper').headTotalMsPerCall).toBe(3);
  });
});

describe('pruning the call tree', () => {
  /** kernel calls leaves whose microseconds are given, beside `own` µs of its own. */
  function wide(leaves: number[], own = 10_000): { nodes: Spec[]; micros: Record<number, number> } {
    const nodes: Spec[] = [
      [1, '(root)', '', [2]],
      [2, 'callFor', HARNESS, [3]],
      [3, 'kernel', SUITE, leaves.map((_, i) => 10 + i)],
      ...leaves.map((_, i): Spec => [10 + i, `leaf${i}`, SUITE, []]),
    ];
    const micros: Record<number, number> = { 3: own };
    leaves.forEach((us, i) => (micros[10 + i] = us));
    return { nodes, micros };
  }

  it('keeps every node at or above 1% of the base’s or the head’s time per call, and drops those below', () => {
    // Root: 10,000 + 200 + 100 + 100 + 99 + … µs; cut at 1% of each side's own root.
    const b = wide([200, 0, 200, 100, 0]);
    const h = wide([200, 200, 0, 0, 100]);
    const t = differentialTree(side(b.nodes, b.micros, 1), side(h.nodes, h.micros, 1));
    const kept = at(t.root, 'kernel').children.map((c) => c.function);
    // leaf0 on both, leaf1 on the head only, leaf2 on the base only: each 200 µs of ~10,500 µs (1.9%).
    expect(kept).toEqual(expect.arrayContaining(['leaf0', 'leaf1', 'leaf2']));
    // leaf3 and leaf4: 100 µs of ~10,500 (0.95%) on their side, nothing on the other.
    expect(kept).not.toContain('leaf3');
    expect(kept).not.toContain('leaf4');
    expect(t.pruned).toBe(2);
    // What was pruned stays in its caller's inclusive time.
    expect(at(t.root, 'kernel').baseTotalMsPerCall).toBe(10.5);
    expect(at(t.root, 'kernel').headTotalMsPerCall).toBe(10.5);
  });

  it('keeps a node just above the cutoff and drops one just below it', () => {
    // Root 9,800 + 101 + 99 = 10,000 µs (base and head): 101 µs is 1.01%, 99 µs is 0.99%.
    const b = wide([101, 99], 9800);
    const t = differentialTree(side(b.nodes, b.micros, 1), side(b.nodes, b.micros, 1), { minShare: 0.01 });
    const names = at(t.root, 'kernel').children.map((c) => c.function);
    expect(names).toEqual(['leaf0']);
    expect(at(t.root, 'kernel', 'leaf0').headTotalMsPerCall).toBe(0.101);
    expect(t.root.headTotalMsPerCall).toBe(10);
  });

  it('keeps the heaviest nodes within the node cap, every kept node’s callers with it', () => {
    const leaves = Array.from({ length: 50 }, (_, i) => 1000 + 100 * i);
    const b = wide(leaves);
    const t = differentialTree(side(b.nodes, b.micros, 1), side(b.nodes, b.micros, 1), { maxNodes: 10 });
    expect(count(t.root)).toBe(10);
    expect(t.pruned).toBe(52 - 10);
    // Root and kernel, then the eight heaviest leaves (49 down to 42), heaviest first.
    expect(at(t.root, 'kernel').children.map((c) => c.function)).toEqual(
      [49, 48, 47, 46, 45, 44, 43, 42].map((i) => `leaf${i}`),
    );
  });

  it('folds calls deeper than the depth cap into the deepest kept node, its time intact', () => {
    const n = MAX_TREE_DEPTH + 40;
    const nodes: Spec[] = [
      [1, '(root)', '', [2]],
      [2, 'callFor', HARNESS, [3]],
      ...Array.from({ length: n }, (_, i): Spec => [3 + i, `recurse`, SUITE, i + 1 < n ? [4 + i] : []]),
    ];
    const micros = { [3 + n - 1]: 5000, 3: 1000 };
    const t = differentialTree(side(nodes, micros, 1), side(nodes, micros, 1));
    expect(depth(t.root)).toBe(MAX_TREE_DEPTH);
    expect(t.root.headTotalMsPerCall).toBe(6);
    let deepest = t.root;
    while (deepest.children[0]) deepest = deepest.children[0];
    expect(deepest.headSelfMsPerCall).toBe(5);
  });

  it('cuts long names, replaces control characters, and survives parents that loop', () => {
    const long = `evil\n${'x'.repeat(1000)}`;
    const nodes: Spec[] = [
      [1, '(root)', '', [2]],
      [2, 'callFor', HARNESS, [3]],
      [3, long, SUITE, [4]],
      [4, 'a', SUITE, [5]],
      [5, 'b', SUITE, [4]],
    ];
    const t = differentialTree(side(nodes, { 3: 1000, 4: 500 }, 1), side(nodes, { 3: 1000, 5: 500 }, 1));
    const top = t.root.children[0]!;
    expect(top.function).toHaveLength(MAX_TREE_NAME);
    expect(top.function).toMatch(/^evil\uFFFDx+…$/);
    // Node 4's parent is 5 and 5's is 4: their samples are dropped, the rest is kept.
    expect(t.root.headTotalMsPerCall).toBe(1);
    expect(top.children).toEqual([]);
  });
});

describe('the call tree of profiles captured from real runs', () => {
  const FIXTURES = join(ROOT, 'test', 'fixtures', 'profile');
  const CAPTURED_AT = 'file:///work/main/test/fixtures/profile/';
  const real = (s: 'base' | 'head'): TreeSide => {
    const text = readFileSync(join(FIXTURES, `${s}.cpuprofile`), 'utf8')
      .split(CAPTURED_AT)
      .join(`${pathToFileURL(FIXTURES).href}/`);
    const { calls } = JSON.parse(readFileSync(join(FIXTURES, `${s}.calls.json`), 'utf8')) as { calls: number };
    const resolver = new SourceResolver(join(FIXTURES, s));
    return {
      profile: parseCpuProfile(text, `the ${s} fixture`),
      calls,
      place: (f) => resolver.place(f),
      isHarness: (f) => f.url.endsWith('/dist/src/profile/profile-worker.js'),
    };
  };

  it('names the TypeScript lines and leads the growth path to leafWork, whose time per call doubled', () => {
    const t = differentialTree(real('base'), real('head'));
    const path = growthPath(t.root);
    expect(path.map((n) => n.function)).toEqual([TREE_ROOT, 'kernel', 'middle', 'leafWork']);
    const leaf = path.at(-1)!;
    expect(leaf).toMatchObject({ file: 'deep.ts', line: 7 });
    // As the differential's self times: 2.786867 → 6.436256 ms per call.
    expect(leaf.baseSelfMsPerCall).toBeCloseTo(2.786867, 5);
    expect(leaf.headSelfMsPerCall).toBeCloseTo(6.436256, 5);
    expect(at(t.root, 'kernel').children.map((c) => c.function)).toContain('ownWork');
    // The loop's clock (performance.now) is not the benchmark's.
    expect(JSON.stringify(t)).not.toContain('node:internal/perf');
    expect(count(t.root)).toBeLessThan(12);
  });
});

/**
 * The differential call tree of two CPU profiles of one benchmark, base and head: both profiles'
 * call stacks merged into one tree whose nodes are keyed by the path of functions (name, file,
 * line) from the root, each with its inclusive and self time per call on each side (the time of
 * the samples that caught it, or anything it called, divided by the calls profiled). It shows
 * where in the call tree time grew, which the differential's list of functions cannot.
 *
 * - The tree starts where the benchmark does: frames of the profiling process itself (its loop)
 *   and Node's own frames above them are cut off, with what the loop calls from Node's own
 *   modules (its clock); an async benchmark resumed by a microtask starts at the root too. V8's
 *   `(garbage collector)` and `(program)` hang under the root; `(idle)` and the inspector's own
 *   frames are left out.
 * - Only V8's frames: an addon's native function is one `(native code)` node under its caller,
 *   even where perf broke its time down by C++ function for the differential's list.
 * - Kept small whatever the profile: a path below {@link TREE_MIN_SHARE} of the root's time per
 *   call on both sides is pruned, then the heaviest {@link MAX_TREE_NODES} nodes are kept (a
 *   caller is never lighter than what it calls, so the tree stays connected); deeper calls than
 *   {@link MAX_TREE_DEPTH} count as the deepest kept node's own time. Pruned time stays in the
 *   callers' totals. Names are cut to {@link MAX_TREE_NAME} characters, files to
 *   {@link MAX_TREE_FILE}, control characters replaced.
 *
 * How big it gets: on the suite's own kernels (matmul ts-blocked and native-simd, gridding
 * ts-objects, ode-ensemble ts-naive and ts-workers, select ts-push; one second profiled per side)
 * 2 to 7 nodes, at most 5 deep, 0.4 to 1.4 kB of JSON, as their call trees are shallow loops. A
 * random call tree of 200,000 nodes and a million samples per side prunes to 181 nodes (31 kB) in
 * about half a second. The caps bound the worst case at 300 nodes of at most 200 + 300
 * characters of names, some 200 kB.
 */
export { growthPath, totalGrowth } from '../model.js';
import {
  MAX_TREE_DEPTH,
  MAX_TREE_FILE,
  MAX_TREE_NAME,
  MAX_TREE_NODES,
  type ProfileTree,
  type ProfileTreeNode,
} from '../model.js';
import type { CallFrame, CpuProfile } from './cpu-profile.js';
import type { Place } from './source-map.js';

/** The smallest share of the root's time per call (on base or head) a node needs to be kept. */
export const TREE_MIN_SHARE = 0.01;

/** What the root node is called: all the benchmark's sampled time. */
export const TREE_ROOT = '(all calls)';

/** One side's profile and how to read its frames. */
export interface TreeSide {
  profile: CpuProfile;
  /** Calls profiled: times are per call. */
  calls: number;
  /** Where a frame's function is (source maps, relative paths). */
  place: (frame: CallFrame) => Place;
  /** Whether a frame is the profiling process's own code, under which the benchmark's calls start. */
  isHarness: (frame: CallFrame) => boolean;
}

/** Options of {@link differentialTree}. */
export interface TreeOptions {
  /** {@link TREE_MIN_SHARE} unless given. */
  minShare?: number;
  /** {@link MAX_TREE_NODES} unless given (at most that). */
  maxNodes?: number;
}

/** A node while the tree is built: microseconds of its own samples on each side. */
interface BuildNode {
  function: string;
  file: string;
  line: number;
  depth: number;
  self: [number, number];
  total: [number, number];
  children: Map<string, BuildNode>;
}

/** Where a profile node's samples go: dropped, not yet in the benchmark, the loop itself, or a tree node. */
type State = { kind: 'drop' } | { kind: 'outside' } | { kind: 'harness' } | { kind: 'in'; node: BuildNode };

const DROP: State = { kind: 'drop' };
const OUTSIDE: State = { kind: 'outside' };
const HARNESS: State = { kind: 'harness' };

/** V8's pseudo-frames that are time of the process, not of a function: kept under the root. */
const PROCESS_FRAMES = new Set(['(garbage collector)', '(program)']);

/** A native function called from JavaScript: no script, no line, not a V8 pseudo-frame. */
const isNative = (f: CallFrame): boolean => f.url === '' && f.lineNumber < 0 && !f.functionName.startsWith('(');

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/** A name as a report can show it: no control characters, at most `max` characters. */
function shown(s: string, max: number): string {
  const clean = s.replace(CONTROL, '\uFFFD');
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

const newNode = (fn: string, file: string, line: number, depth: number): BuildNode => ({
  function: fn,
  file,
  line,
  depth,
  self: [0, 0],
  total: [0, 0],
  children: new Map(),
});

function childOf(parent: BuildNode, fn: string, place: Place): BuildNode {
  const name = shown(fn, MAX_TREE_NAME);
  const file = shown(place.file, MAX_TREE_FILE);
  const key = JSON.stringify([name, file, place.line]);
  let child = parent.children.get(key);
  if (child === undefined) {
    child = newNode(name, file, place.line, parent.depth + 1);
    parent.children.set(key, child);
  }
  return child;
}

/** Adds one side's samples to the tree under `root`. */
function addSide(root: BuildNode, side: TreeSide, at: 0 | 1): void {
  const { profile } = side;
  const states = new Map<number, State>();
  const next = (parent: State, frame: CallFrame | undefined): State => {
    if (frame === undefined || parent.kind === 'drop' || frame.functionName === '(idle)') return DROP;
    if (side.isHarness(frame)) return HARNESS;
    switch (parent.kind) {
      case 'outside':
        // Node's own frames above the loop, or above an async benchmark resumed by a microtask.
        if (PROCESS_FRAMES.has(frame.functionName))
          return { kind: 'in', node: childOf(root, frame.functionName, { file: '', line: 0 }) };
        return isNative(frame) || frame.url.startsWith('node:') || frame.functionName.startsWith('(')
          ? OUTSIDE
          : { kind: 'in', node: named(root, frame) };
      case 'harness':
        // What the loop calls besides the benchmark: its clock, the inspector.
        return isNative(frame) || frame.url.startsWith('node:') ? DROP : { kind: 'in', node: named(root, frame) };
      case 'in':
        if (frame.url === 'node:inspector') return DROP;
        return parent.node.depth >= MAX_TREE_DEPTH ? parent : { kind: 'in', node: named(parent.node, frame) };
    }
  };
  const named = (parent: BuildNode, frame: CallFrame): BuildNode =>
    isNative(frame)
      ? childOf(parent, '(native code)', { file: '', line: 0 })
      : childOf(parent, frame.functionName === '' ? '(anonymous)' : frame.functionName, side.place(frame));
  const stateOf = (id: number): State => {
    const known = states.get(id);
    if (known !== undefined) return known;
    // Up to the nearest node whose state is known (or the top), then down again.
    const chain: number[] = [];
    let parent: State = OUTSIDE;
    for (let at: number | undefined = id; at !== undefined; at = profile.parents.get(at)) {
      const s = states.get(at);
      if (s !== undefined) {
        parent = s;
        break;
      }
      // A profile whose parents loop (malformed) is cut where the loop closes.
      if (chain.length > profile.frames.size || chain.includes(at)) return DROP;
      chain.push(at);
    }
    for (let i = chain.length - 1; i >= 0; i--) {
      const node = chain[i] as number;
      parent = next(parent, profile.frames.get(node));
      states.set(node, parent);
    }
    return parent;
  };
  const micros = new Map<number, number>();
  profile.samples.forEach((id, i) => micros.set(id, (micros.get(id) ?? 0) + (profile.durations[i] ?? 0)));
  const perCall = 1 / Math.max(1, side.calls);
  for (const [id, us] of micros) {
    const s = stateOf(id);
    if (s.kind === 'in') s.node.self[at] += us * perCall;
  }
}

/** Fills each node's totals: its own time and its children's. */
function sumTotals(node: BuildNode): void {
  node.total = [node.self[0], node.self[1]];
  for (const c of node.children.values()) {
    sumTotals(c);
    node.total[0] += c.total[0];
    node.total[1] += c.total[1];
  }
}

/** Microseconds per call as milliseconds, rounded as the differential rounds (1 ns). */
const ms = (us: number): number => Math.round(us * 1000) / 1e6;

/**
 * Base and head merged into one call tree, pruned to the nodes above `minShare` of the root's
 * time per call on either side and to the `maxNodes` heaviest (see the module doc).
 */
export function differentialTree(base: TreeSide, head: TreeSide, o: TreeOptions = {}): ProfileTree {
  const root = newNode(TREE_ROOT, '', 0, 0);
  addSide(root, base, 0);
  addSide(root, head, 1);
  sumTotals(root);
  const minShare = o.minShare ?? TREE_MIN_SHARE;
  const maxNodes = Math.max(1, Math.min(o.maxNodes ?? MAX_TREE_NODES, MAX_TREE_NODES));
  const share = (n: BuildNode): number =>
    Math.max(root.total[0] > 0 ? n.total[0] / root.total[0] : 0, root.total[1] > 0 ? n.total[1] / root.total[1] : 0);
  // Every node above the cutoff (a caller's share is never below its callees'), heaviest first.
  const all: BuildNode[] = [];
  const walk = (n: BuildNode): void => {
    all.push(n);
    for (const c of n.children.values()) if (share(c) >= minShare) walk(c);
  };
  const size = (n: BuildNode): number => {
    let k = 1;
    for (const c of n.children.values()) k += size(c);
    return k;
  };
  walk(root);
  all.sort((a, b) => share(b) - share(a) || a.depth - b.depth);
  const kept = new Set(all.slice(0, maxNodes));
  const out = (n: BuildNode): ProfileTreeNode => ({
    function: n.function,
    file: n.file,
    line: n.line,
    baseTotalMsPerCall: ms(n.total[0]),
    headTotalMsPerCall: ms(n.total[1]),
    baseSelfMsPerCall: ms(n.self[0]),
    headSelfMsPerCall: ms(n.self[1]),
    children: [...n.children.values()]
      .filter((c) => kept.has(c))
      .sort(
        (a, b) =>
          b.total[1] - a.total[1] ||
          b.total[0] - a.total[0] ||
          (a.function < b.function ? -1 : a.function > b.function ? 1 : a.line - b.line),
      )
      .map(out),
  });
  return { root: out(root), pruned: size(root) - kept.size };
}

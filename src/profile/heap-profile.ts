/**
 * V8's sampling heap profile (the `.heapprofile` JSON that Chrome DevTools' Memory panel opens, and
 * that the inspector's `HeapProfiler.stopSampling` returns): a call tree from `head`, each node with
 * its call frame, the bytes allocated by the function's own code while sampled (`selfSize`, V8's
 * unbiased estimate) and its `children`. Read as untrusted input: sizes are capped, every field
 * used is checked.
 */
import { MAX_NODES, MAX_PROFILE_BYTES, ProfileError, type CallFrame } from './cpu-profile.js';

/** One node of a checked heap profile: its frame, its own bytes, and its caller's frame. */
export interface HeapNode {
  frame: CallFrame;
  selfSize: number;
  /** The nearest caller's frame, or null at the root. */
  parent: HeapNode | null;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const fail = (what: string, message: string): never => {
  throw new ProfileError(`${what}: ${message}`);
};

function callFrame(v: unknown, what: string): CallFrame {
  if (!isObject(v)) return fail(what, 'expected an object');
  const text = (x: unknown, key: string, max: number) =>
    typeof x === 'string' ? x.slice(0, max) : fail(`${what}.${key}`, `expected a string, got ${typeof x}`);
  const int = (x: unknown, key: string) =>
    typeof x === 'number' && Number.isSafeInteger(x) && x >= -1
      ? x
      : fail(`${what}.${key}`, `expected an integer ≥ -1, got ${JSON.stringify(x)?.slice(0, 40)}`);
  return {
    functionName: text(v.functionName, 'functionName', 500),
    url: text(v.url, 'url', 2000),
    lineNumber: int(v.lineNumber, 'lineNumber'),
    columnNumber: int(v.columnNumber, 'columnNumber'),
  };
}

/** Checks a parsed `.heapprofile`; `what` names it in errors. Every node, the root first. */
export function checkHeapProfile(v: unknown, what: string): HeapNode[] {
  if (!isObject(v) || !isObject(v.head))
    return fail(what, "not a sampling heap profile (expected a JSON object with 'head')");
  const nodes: HeapNode[] = [];
  // Depth-first without recursion: a hostile profile may nest deeper than the stack.
  const stack: { raw: unknown; parent: HeapNode | null; at: string }[] = [{ raw: v.head, parent: null, at: 'head' }];
  while (stack.length > 0) {
    const { raw, parent, at } = stack.pop()!;
    if (nodes.length >= MAX_NODES) fail(what, `more than ${MAX_NODES} nodes`);
    if (!isObject(raw)) fail(`${what} '${at}'`, 'expected an object');
    const n = raw as Record<string, unknown>;
    const selfSize = n.selfSize;
    if (typeof selfSize !== 'number' || !Number.isFinite(selfSize) || selfSize < 0)
      fail(`${what} '${at}.selfSize'`, `expected a number ≥ 0, got ${JSON.stringify(selfSize)?.slice(0, 40)}`);
    if (!Array.isArray(n.children)) fail(`${what} '${at}.children'`, 'expected an array');
    const node: HeapNode = {
      frame: callFrame(n.callFrame, `${what} '${at}.callFrame'`),
      selfSize: selfSize as number,
      parent,
    };
    nodes.push(node);
    (n.children as unknown[]).forEach((child, i) =>
      stack.push({ raw: child, parent: node, at: at.length < 200 ? `${at}.children[${i}]` : '…' }),
    );
  }
  return nodes;
}

/** Parses and checks a `.heapprofile` file's text. */
export function parseHeapProfile(json: string, what: string): HeapNode[] {
  if (json.length > MAX_PROFILE_BYTES) fail(what, `larger than ${MAX_PROFILE_BYTES} bytes`);
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch (e) {
    return fail(what, `not JSON (${(e as Error).message.slice(0, 200)})`);
  }
  return checkHeapProfile(v, what);
}

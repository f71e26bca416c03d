/**
 * V8's CPU profile (the `.cpuprofile` JSON that Chrome DevTools and speedscope open, and that the
 * inspector's `Profiler.stop` returns): a call tree of nodes, each with its call frame, and the
 * sampled node of every tick with the microseconds since the previous one. A profile is read as
 * untrusted input: sizes are capped, every field is checked, and only the fields used are kept.
 */

/** Largest `.cpuprofile` file read, in bytes (100 µs sampling writes some 150 kB per second). */
export const MAX_PROFILE_BYTES = 64 * 1024 * 1024;
/** Most call-tree nodes a profile may have. */
export const MAX_NODES = 1_000_000;
/** Most samples a profile may have. */
export const MAX_SAMPLES = 10_000_000;

/** A profile that cannot be used: says which profile and which field was wrong. */
export class ProfileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProfileError';
  }
}

/** Where a node's function is: V8's call frame (0-based line and column; -1 when unknown). */
export interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

/** A checked CPU profile: each sample's node and how long it lasted, in microseconds. */
export interface CpuProfile {
  /** Call frame of each node, by node id. */
  frames: Map<number, CallFrame>;
  /** Each node's caller (parent in the call tree), by node id. */
  parents: Map<number, number>;
  /** The node sampled at each tick. */
  samples: number[];
  /** Microseconds each sample stood for (the time until the next tick), never negative. */
  durations: number[];
}

const fail = (what: string, message: string): never => {
  throw new ProfileError(`${what}: ${message}`);
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function intIn(v: unknown, what: string, min: number): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min)
    fail(what, `expected an integer ≥ ${min}, got ${JSON.stringify(v)?.slice(0, 40)}`);
  return v as number;
}

function text(v: unknown, what: string, max: number): string {
  if (typeof v !== 'string') fail(what, `expected a string, got ${typeof v}`);
  return (v as string).slice(0, max);
}

function callFrame(v: unknown, what: string): CallFrame {
  if (!isObject(v)) return fail(what, 'expected an object');
  return {
    functionName: text(v.functionName, `${what}.functionName`, 500),
    url: text(v.url, `${what}.url`, 2000),
    lineNumber: intIn(v.lineNumber, `${what}.lineNumber`, -1),
    columnNumber: intIn(v.columnNumber, `${what}.columnNumber`, -1),
  };
}

/** Checks a parsed `.cpuprofile`; `what` names it in errors (`the head profile of spin/loop/small`). */
export function checkCpuProfile(v: unknown, what: string): CpuProfile {
  if (!isObject(v)) return fail(what, 'not a CPU profile (expected a JSON object with nodes, samples, timeDeltas)');
  const { nodes, samples, timeDeltas, startTime, endTime } = v;
  if (!Array.isArray(nodes) || nodes.length === 0 || nodes.length > MAX_NODES)
    fail(what, `'nodes' must be an array of 1 to ${MAX_NODES} nodes`);
  if (!Array.isArray(samples) || samples.length > MAX_SAMPLES)
    fail(what, `'samples' must be an array of at most ${MAX_SAMPLES} node ids`);
  if (!Array.isArray(timeDeltas) || timeDeltas.length !== (samples as unknown[]).length)
    fail(what, `'timeDeltas' must be an array as long as 'samples' (${(samples as unknown[]).length})`);
  const start = intIn(startTime, `${what} 'startTime'`, 0);
  const end = intIn(endTime, `${what} 'endTime'`, start);
  const frames = new Map<number, CallFrame>();
  const parents = new Map<number, number>();
  (nodes as unknown[]).forEach((n, i) => {
    const at = `${what} 'nodes[${i}]'`;
    if (!isObject(n)) fail(at, 'expected an object');
    const node = n as Record<string, unknown>;
    const id = intIn(node.id, `${at}.id`, 0);
    if (frames.has(id)) fail(at, `node id ${id} appears twice`);
    frames.set(id, callFrame(node.callFrame, `${at}.callFrame`));
    if (node.children !== undefined && !Array.isArray(node.children)) fail(at, `'children' must be an array`);
    for (const [k, child] of ((node.children as unknown[] | undefined) ?? []).entries())
      parents.set(intIn(child, `${at}.children[${k}]`, 0), id);
  });
  const ids = (samples as unknown[]).map((s, i) => {
    const id = intIn(s, `${what} 'samples[${i}]'`, 0);
    if (!frames.has(id)) fail(what, `'samples[${i}]' names node ${id}, which is not in 'nodes'`);
    return id;
  });
  // Sample i lasts until tick i+1; the last one until the profile's end (as DevTools counts).
  let t = start;
  const ticks = (timeDeltas as unknown[]).map((d, i) => {
    if (typeof d !== 'number' || !Number.isFinite(d)) fail(what, `'timeDeltas[${i}]' must be a number`);
    t += d as number;
    return t;
  });
  const durations = ticks.map((tick, i) => Math.max(0, (ticks[i + 1] ?? Math.max(end, tick)) - tick));
  return { frames, parents, samples: ids, durations };
}

/** Parses and checks a `.cpuprofile` file's text. */
export function parseCpuProfile(json: string, what: string): CpuProfile {
  if (json.length > MAX_PROFILE_BYTES) fail(what, `larger than ${MAX_PROFILE_BYTES} bytes`);
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch (e) {
    return fail(what, `not JSON (${(e as Error).message.slice(0, 200)})`);
  }
  return checkCpuProfile(v, what);
}

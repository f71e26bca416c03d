/**
 * Native functions in a differential profile. V8's CPU profiler sees a call into an addon as one
 * frame (./profile-pass.ts names it "native code, called from" its JavaScript caller), so the
 * same calls are also sampled by `perf record` (./perf-record.ts), and its samples are merged in:
 *
 * - A sample belongs to an addon function when, walking its stack from the innermost frame, the
 *   first frame in a Node addon (a `.node` object) comes before any frame of Node itself or of
 *   JIT code; the frames passed on the way (libm, libc, the kernel) count as that function's own
 *   time, as V8 counts the builtins a JavaScript function calls. Threads the addon started count
 *   too, so a threaded function's time is CPU time, summed over its threads.
 * - Each addon function's self time per call is its samples' periods (perf's `cpu-clock`, in ns)
 *   over the calls profiled, named by its demangled symbol, with the source file and line of its
 *   first instruction where the addon has debug info (`addr2line`), else the addon's file.
 * - The V8 profile's native frames lose that much time, shared in proportion to what each had
 *   (never below zero), and the addon functions are added beside the JavaScript ones: the
 *   differential then ranks C++ functions and source-mapped TypeScript functions alike.
 *
 * Functions the compiler inlined are counted in the function they were inlined into.
 */
import { checkoutPath } from './checkout-path.js';
import type { SelfTime } from './differential.js';
import { PERF, runTool } from './perf-record.js';

/** One addon function's sampled time, before it is named: the object, its symbol and nanoseconds. */
export interface AddonSamples {
  dso: string;
  /** The symbol as perf printed it (mangled), or `[unknown]`. */
  symbol: string;
  nanoseconds: number;
  samples: number;
}

/** Largest perf script output read, in characters. */
export const MAX_PERF_SCRIPT_CHARS = 512 * 1024 * 1024;

/** A Node addon: the objects whose functions are named. */
export const isAddon = (dso: string): boolean => dso.endsWith('.node');

/** A library an addon may call into, whose time is the calling addon function's: shared objects and the kernel. */
const isPassThrough = (dso: string): boolean =>
  dso.startsWith('[kernel') || dso === '[vdso]' || (/\.so(\.[0-9]+)*$/.test(dso) && !/\blibnode\.so/.test(dso));

/** A program's own object (the program or a library of its own), not the C library, the loader, the kernel or an unknown one. */
export const isProgram = (dso: string): boolean => dso !== '[unknown]' && !isPassThrough(dso);

/** A frame line of `perf script -F tid,period,ip,sym,dso`: `\t<ip> <symbol> (<object>)`. */
const FRAME = /^\s+[0-9a-f]+ (.*) \((.*)\)$/;
/** A sample's first line: the thread id, the sample's period, and its frame when it has no call chain. */
const HEADER = /^\s*(\d+)\s+(\d+)(\s+[0-9a-f]+ .*)?\s*$/;

/**
 * Addon self time from `perf script -F tid,period,ip,sym,dso --no-demangle` output with call
 * chains: per object and symbol, largest first. Samples outside addons are left out. `what` names
 * the recording in errors.
 */
export function addonSamples(text: string, what: string): AddonSamples[] {
  return ownSamples(text, what, isAddon);
}

/**
 * A program's own functions' self time from the same output: each sample goes to the first frame,
 * from the innermost, in an object `isOwn` accepts, passing through shared libraries and the
 * kernel on the way (their time is the calling function's); samples that meet another object
 * first are left out.
 */
export function ownSamples(text: string, what: string, isOwn: (dso: string) => boolean): AddonSamples[] {
  if (text.length > MAX_PERF_SCRIPT_CHARS) throw new Error(`${what}: perf script output larger than allowed`);
  const out = new Map<string, AddonSamples>();
  let period: number | null = null;
  let attributed = true;
  let lineNo = 0;
  for (const line of text.split('\n')) {
    lineNo++;
    if (line.trim() === '') {
      period = null;
      continue;
    }
    const header = line.startsWith('\t') ? null : HEADER.exec(line);
    if (header !== null) {
      period = Number(header[2]);
      attributed = false;
      if (header[3] === undefined) continue;
    }
    const frame = FRAME.exec(header?.[3] ?? line);
    if (frame === null || period === null)
      throw new Error(`${what}: line ${lineNo} is neither a sample header nor a stack frame: ${line.slice(0, 120)}`);
    if (attributed) continue;
    const [, symbol = '', dso = ''] = frame;
    if (isOwn(dso)) {
      const key = `${dso}\n${symbol}`;
      const f = out.get(key) ?? { dso, symbol, nanoseconds: 0, samples: 0 };
      f.nanoseconds += period;
      f.samples++;
      out.set(key, f);
      attributed = true;
    } else if (!isPassThrough(dso)) attributed = true;
  }
  return [...out.values()].sort((a, b) => b.nanoseconds - a.nanoseconds);
}

/** Demangled names, in order, by `c++filt`; the names themselves when it cannot run. */
async function demangle(names: string[], timeoutMs: number): Promise<string[]> {
  if (names.length === 0) return [];
  const out = await runTool('c++filt', [], timeoutMs, `${names.join('\n')}\n`).catch(() => null);
  const lines = out?.split('\n') ?? [];
  return names.map((n, i) => lines[i] || n);
}

/** Each symbol's source file and line in `dso` (`nm` for its address, `addr2line` for the line), where debug info says. */
async function placesIn(
  dso: string,
  symbols: string[],
  timeoutMs: number,
): Promise<Map<string, { file: string; line: number }>> {
  const places = new Map<string, { file: string; line: number }>();
  const nm = await runTool('nm', ['--defined-only', dso], timeoutMs).catch(() => '');
  const address = new Map<string, string>();
  for (const l of nm.split('\n')) {
    const m = /^([0-9a-f]+) \w (\S+)$/.exec(l);
    if (m?.[1] !== undefined && m[2] !== undefined) address.set(m[2], m[1]);
  }
  const wanted = symbols.filter((s) => address.has(s));
  if (wanted.length === 0) return places;
  const a2l = await runTool('addr2line', ['-e', dso, ...wanted.map((s) => `0x${address.get(s)}`)], timeoutMs).catch(
    () => '',
  );
  a2l.split('\n').forEach((l, i) => {
    const m = /^(.*):(\d+)(?: \(discriminator \d+\))?$/.exec(l.trim());
    const symbol = wanted[i];
    if (symbol !== undefined && m?.[1] !== undefined && m[1] !== '??' && Number(m[2]) > 0)
      places.set(symbol, { file: m[1], line: Number(m[2]) });
  });
  return places;
}

/**
 * Addon self time per call, named: each function's demangled name and its source file and line
 * (relative to `root`, the side's checkout) where the addon has debug info, else the addon's file
 * and line 0.
 */
export async function nameAddonSamples(
  samples: AddonSamples[],
  calls: number,
  root: string,
  timeoutMs: number,
): Promise<SelfTime[]> {
  const names = await demangle(
    samples.map((s) => s.symbol),
    timeoutMs,
  );
  const places = new Map<string, Map<string, { file: string; line: number }>>();
  for (const dso of new Set(samples.map((s) => s.dso)))
    places.set(
      dso,
      await placesIn(
        dso,
        samples.filter((s) => s.dso === dso).map((s) => s.symbol),
        timeoutMs,
      ),
    );
  return samples.map((s, i) => {
    const at = places.get(s.dso)?.get(s.symbol);
    return {
      function: s.symbol === '[unknown]' ? '(unknown native code)' : (names[i] ?? s.symbol),
      file: checkoutPath(at?.file ?? s.dso, root),
      line: at?.line ?? 0,
      msPerCall: s.nanoseconds / 1e6 / Math.max(1, calls),
    };
  });
}

/** Self time per call of one recording's own functions (an addon's by default): `perf script` on its data, then named. */
export async function perfSelfTimes(
  data: string,
  calls: number,
  root: string,
  timeoutMs: number,
  what: string,
  isOwn: (dso: string) => boolean = isAddon,
): Promise<SelfTime[]> {
  const text = await runTool(
    PERF,
    ['script', '--input', data, '--fields', 'tid,period,ip,sym,dso', '--no-demangle', '--no-inline'],
    timeoutMs,
  );
  return nameAddonSamples(ownSamples(text, what, isOwn), calls, root, timeoutMs);
}

/** What a native frame's name says once perf has taken out what it sampled: the rest was waiting or the kernel's. */
export const unsampledName = (name: string): string =>
  name.replace(/^\(native code,/, '(native code perf did not sample: waiting or kernel time,');

/**
 * A V8 profile's self times with its native frames' time replaced by the addon functions perf
 * found: `isNative` says which lines are native frames; they keep only what the addon functions
 * do not account for, shared in proportion and renamed for what it is ({@link unsampledName}:
 * V8's wall time that perf's CPU samples of the addon's threads did not cover), and the addon
 * functions are added.
 */
export function withAddonFunctions(v8: SelfTime[], isNative: (f: SelfTime) => boolean, addon: SelfTime[]): SelfTime[] {
  const native = v8.filter(isNative).reduce((sum, f) => sum + f.msPerCall, 0);
  const found = addon.reduce((sum, f) => sum + f.msPerCall, 0);
  const keep = native > 0 ? Math.max(0, 1 - found / native) : 1;
  return [
    ...v8
      .map((f) => (isNative(f) ? { ...f, function: unsampledName(f.function), msPerCall: f.msPerCall * keep } : f))
      .filter((f) => f.msPerCall > 0),
    ...addon,
  ].sort((a, b) => b.msPerCall - a.msPerCall);
}

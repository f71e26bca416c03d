/**
 * The differential of two CPU profiles of one benchmark, base and head: each function's self time
 * per call on each side (the time of the samples that caught it running its own code, divided by
 * the calls profiled), and the functions whose self time per call grew most. A function is its
 * name, file and line, so the same function matches across the two checkouts; one whose name
 * appears once in its file on each side matches whatever its line ({@link matchLines}), since a
 * change above it moves it.
 */
import type { CountLine, ProfileLine } from '../model.js';
import type { CpuProfile } from './cpu-profile.js';
import type { Place } from './source-map.js';

/** How many functions a differential lists. */
export const TOP_FUNCTIONS = 5;

/** V8's bookkeeping nodes, which are no function's own time. */
const NOT_FUNCTIONS = new Set(['(root)', '(idle)']);

/** One function's self time per call on one side, in milliseconds. */
export interface SelfTime extends Place {
  function: string;
  msPerCall: number;
}

/**
 * Self time per call of each function in `profile`, over `calls` calls; `place` names where a
 * frame's function is (source maps, relative paths), or null to leave it out. Largest first.
 */
export function selfTimes(
  profile: CpuProfile,
  calls: number,
  place: (id: number) => (Place & { function?: string }) | null,
): SelfTime[] {
  const byNode = new Map<number, number>();
  profile.samples.forEach((id, i) => byNode.set(id, (byNode.get(id) ?? 0) + (profile.durations[i] ?? 0)));
  const byFunction = new Map<string, SelfTime>();
  for (const [id, micros] of byNode) {
    const frame = profile.frames.get(id);
    if (frame === undefined || NOT_FUNCTIONS.has(frame.functionName)) continue;
    const at = place(id);
    if (at === null) continue;
    const name = at.function ?? (frame.functionName === '' ? '(anonymous)' : frame.functionName);
    const key = JSON.stringify([name, at.file, at.line]);
    const f = byFunction.get(key) ?? { function: name, file: at.file, line: at.line, msPerCall: 0 };
    f.msPerCall += micros / 1000 / Math.max(1, calls);
    byFunction.set(key, f);
  }
  return [...byFunction.values()].sort((a, b) => b.msPerCall - a.msPerCall);
}

/**
 * `base` with each function's line set to the head's where its name appears exactly once in its
 * file on both sides: the same function, moved by lines added or removed above it (between two
 * commits, or a kept profile and today's). Names that repeat in a file (`(anonymous)`, overloads)
 * keep their lines.
 */
export function matchLines<T extends Place & { function: string }>(base: readonly T[], head: readonly T[]): T[] {
  const once = (side: readonly T[]) => {
    const seen = new Map<string, number | null>();
    for (const f of side) {
      const k = JSON.stringify([f.function, f.file]);
      seen.set(k, seen.has(k) && seen.get(k) !== f.line ? null : f.line);
    }
    return seen;
  };
  const headLines = once(head);
  const baseLines = once(base);
  return base.map((f) => {
    const k = JSON.stringify([f.function, f.file]);
    const line = headLines.get(k);
    return line === undefined || line === null || baseLines.get(k) === null ? f : { ...f, line };
  });
}

/** Rounds milliseconds to what a report shows without losing a small function (1 ns). */
const ms = (x: number): number => Math.round(x * 1e6) / 1e6;

/** The smallest growth listed, as a share of the head's whole self time per call: less is sampling noise. */
export const MIN_SHARE = 0.01;

/**
 * The functions whose self time per call grew most from `base` to `head`, largest growth first,
 * `top` at most; a function on one side only counts zero on the other. Only growth of at least
 * {@link MIN_SHARE} of the head's time per call is listed.
 */
export function differential(base: SelfTime[], head: SelfTime[], top = TOP_FUNCTIONS): ProfileLine[] {
  const least = MIN_SHARE * head.reduce((sum, f) => sum + f.msPerCall, 0);
  const key = (f: SelfTime) => JSON.stringify([f.function, f.file, f.line]);
  const lines = new Map<string, ProfileLine>();
  const line = (f: SelfTime): ProfileLine =>
    lines.get(key(f)) ??
    lines
      .set(key(f), {
        function: f.function,
        file: f.file,
        line: f.line,
        baseMsPerCall: 0,
        headMsPerCall: 0,
        deltaMsPerCall: 0,
      })
      .get(key(f))!;
  for (const f of matchLines(base, head)) line(f).baseMsPerCall += f.msPerCall;
  for (const f of head) line(f).headMsPerCall += f.msPerCall;
  return [...lines.values()]
    .map((l) => ({
      ...l,
      baseMsPerCall: ms(l.baseMsPerCall),
      headMsPerCall: ms(l.headMsPerCall),
      deltaMsPerCall: ms(l.headMsPerCall - l.baseMsPerCall),
    }))
    .filter((l) => l.deltaMsPerCall > 0 && l.deltaMsPerCall >= least)
    .sort((a, b) => b.deltaMsPerCall - a.deltaMsPerCall || (a.function < b.function ? -1 : 1))
    .slice(0, top);
}

/**
 * The factor that brings a profile's self times per call to the time per call the rounds
 * measured for that side: 1 when either is unknown or zero. A profile runs each side once, about
 * a second, one after the other, and a shared machine changes speed over seconds by more than a
 * small regression (docs/method/real-regressions.md, "Two speeds"); the rounds measured both sides
 * side by side many times. So the profile says how a side's time divides among its functions, and
 * the rounds say how much time there was to divide (docs/method/profiles.md, "Scaled to the rounds").
 */
export function toMeasured(times: readonly SelfTime[], measuredMsPerCall: number | null): number {
  const total = times.reduce((sum, f) => sum + f.msPerCall, 0);
  return measuredMsPerCall !== null && measuredMsPerCall > 0 && total > 0 ? measuredMsPerCall / total : 1;
}

/** Self times multiplied by `factor`. */
export const scaled = (times: readonly SelfTime[], factor: number): SelfTime[] =>
  times.map((f) => ({ ...f, msPerCall: f.msPerCall * factor }));

/** One function's own count per call on one side (allocated bytes, instructions). */
export interface SelfCount extends Place {
  function: string;
  perCall: number;
}

/** Adds up counts of the same function (name, file, line), largest first. */
export function byFunction(counts: Iterable<SelfCount>): SelfCount[] {
  const out = new Map<string, SelfCount>();
  for (const c of counts) {
    const key = JSON.stringify([c.function, c.file, c.line]);
    const f = out.get(key) ?? { function: c.function, file: c.file, line: c.line, perCall: 0 };
    f.perCall += c.perCall;
    out.set(key, f);
  }
  return [...out.values()].sort((a, b) => b.perCall - a.perCall);
}

/**
 * The functions whose own count per call grew most from `base` to `head`, largest growth first,
 * `top` at most; a function on one side only counts zero on the other. Growth below `minShare`
 * of the head's whole count per call is left out (sampling noise; an exact count can pass 0).
 */
export function countDifferential(
  base: SelfCount[],
  head: SelfCount[],
  o: { minShare?: number; top?: number } = {},
): CountLine[] {
  const least = (o.minShare ?? MIN_SHARE) * head.reduce((sum, f) => sum + f.perCall, 0);
  const lines = new Map<string, CountLine>();
  const line = (f: SelfCount): CountLine => {
    const key = JSON.stringify([f.function, f.file, f.line]);
    let l = lines.get(key);
    if (l === undefined) {
      l = { function: f.function, file: f.file, line: f.line, basePerCall: 0, headPerCall: 0, deltaPerCall: 0 };
      lines.set(key, l);
    }
    return l;
  };
  for (const f of matchLines(base, head)) line(f).basePerCall += f.perCall;
  for (const f of head) line(f).headPerCall += f.perCall;
  const round = (x: number) => Math.round(x * 100) / 100;
  return [...lines.values()]
    .map((l) => ({
      ...l,
      basePerCall: round(l.basePerCall),
      headPerCall: round(l.headPerCall),
      deltaPerCall: round(l.headPerCall - l.basePerCall),
    }))
    .filter((l) => l.deltaPerCall > 0 && l.deltaPerCall >= least)
    .sort((a, b) => b.deltaPerCall - a.deltaPerCall || (a.function < b.function ? -1 : 1))
    .slice(0, o.top ?? TOP_FUNCTIONS);
}

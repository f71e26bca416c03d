/**
 * Self instructions per function from a callgrind output file (valgrind's callgrind format,
 * https://valgrind.org/docs/manual/cl-format.html): each function's own `Ir`, without the cost of
 * the calls it makes, with its source file and the first line that holds any of its cost (the
 * function's start, or near it). Read as untrusted input: the size is capped, and a line that is
 * neither a known key nor a cost line fails naming the file and line.
 */
import { ProfileError } from './cpu-profile.js';

/** Largest callgrind output read, in bytes (a Node process writes some 10 MB). */
export const MAX_CALLGRIND_BYTES = 256 * 1024 * 1024;

/** One function's own instructions in one output file. */
export interface CallgrindSelf {
  function: string;
  /** Source file as callgrind names it (absolute where the binary's debug info says), or '' when unknown. */
  file: string;
  /** The binary or shared object it is in. */
  object: string;
  /** First line holding its cost; 0 when unknown (no debug info). */
  line: number;
  ir: number;
}

/** Keys of the format that this reader passes over (headers, and call and jump lines besides `calls=`). */
const IGNORED =
  /^(?:version|creator|pid|cmd|part|desc|summary|totals|jump|jcnd|jfi|jfn|cfi|cfl|cob|cfn|ob|fl|fi|fe|fn|calls|events|positions|thread)[:=]/;

/** Each function's own instructions (event `Ir`) in a callgrind output file's text; `what` names it in errors. */
export function callgrindSelfCosts(text: string, what: string): CallgrindSelf[] {
  if (text.length > MAX_CALLGRIND_BYTES) throw new ProfileError(`${what}: larger than ${MAX_CALLGRIND_BYTES} bytes`);
  const lines = text.split('\n');
  if (!lines[0]?.startsWith('# callgrind format') && !lines.some((l) => l.startsWith('creator: callgrind')))
    throw new ProfileError(`${what}: not a callgrind output file`);
  // Name compression: `(id) name` defines, `(id)` refers; files, functions and objects each have their own ids.
  const names = { file: new Map<string, string>(), fn: new Map<string, string>(), ob: new Map<string, string>() };
  const named = (kind: keyof typeof names, v: string, at: number): string => {
    const m = /^\((\d+)\)(?:\s+(.*))?$/.exec(v.trim());
    if (m === null) return v.trim();
    if (m[2] !== undefined) {
      names[kind].set(m[1] as string, m[2]);
      return m[2];
    }
    const known = names[kind].get(m[1] as string);
    if (known === undefined) throw new ProfileError(`${what}: line ${at + 1} refers to (${m[1]}), never named`);
    return known;
  };
  let positions = 1;
  let irAt = -1;
  let object = '';
  let fileOfFunction = '';
  // Where the cost lines' line numbers are: the function's file, or an inlined one's (`fi=`, `fe=`).
  let fileOfLines = '';
  let fn = '';
  let skipNext = false;
  let last: number[] = [];
  const costs = new Map<string, CallgrindSelf>();
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] as string;
    if (raw === '' || raw.startsWith('#')) continue;
    const eq = /^([a-z]+)[=:]\s?(.*)$/.exec(raw);
    if (eq !== null) {
      const [, key, value] = eq as unknown as [string, string, string];
      if (key === 'positions') positions = value.trim().split(/\s+/).length;
      else if (key === 'events') irAt = value.trim().split(/\s+/).indexOf('Ir');
      else if (key === 'ob') object = named('ob', value, i);
      else if (key === 'fl') fileOfFunction = fileOfLines = named('file', value, i);
      else if (key === 'fi' || key === 'fe') fileOfLines = named('file', value, i);
      else if (key === 'cfi' || key === 'cfl') named('file', value, i);
      else if (key === 'cob') named('ob', value, i);
      else if (key === 'fn') {
        fn = named('fn', value, i);
        fileOfLines = fileOfFunction;
      } else if (key === 'cfn') named('fn', value, i);
      else if (key === 'calls') skipNext = true;
      else if (!IGNORED.test(raw))
        throw new ProfileError(`${what}: line ${i + 1} is not callgrind format: '${raw.slice(0, 80)}'`);
      continue;
    }
    if (!/^[0-9+*-]/.test(raw))
      throw new ProfileError(`${what}: line ${i + 1} is not callgrind format: '${raw.slice(0, 80)}'`);
    const fields = raw.trim().split(/\s+/);
    // Positions are absolute, `+n`/`-n` from the previous line's, or `*` for the same.
    const pos = fields.slice(0, positions).map((f, k) => {
      const before = last[k] ?? 0;
      if (f === '*') return before;
      const n = f.startsWith('+') || f.startsWith('-') ? before + Number(f) : Number(f);
      if (!Number.isFinite(n)) throw new ProfileError(`${what}: line ${i + 1} has a malformed position '${f}'`);
      return n;
    });
    last = pos;
    if (skipNext) {
      // The cost line after `calls=` is the call's inclusive cost: the callee's, not this function's own.
      skipNext = false;
      continue;
    }
    if (irAt < 0) throw new ProfileError(`${what}: no 'events:' line naming Ir before the costs`);
    const ir = Number(fields[positions + irAt] ?? 0);
    if (!Number.isSafeInteger(ir) || ir < 0)
      throw new ProfileError(`${what}: line ${i + 1} has a malformed cost '${raw.slice(0, 80)}'`);
    if (ir === 0 || fn === '') continue;
    const line = pos[positions - 1] ?? 0;
    const file = fileOfFunction === '???' ? '' : fileOfFunction;
    const key = JSON.stringify([fn, file, object]);
    const c = costs.get(key) ?? { function: fn, file, object, line: 0, ir: 0 };
    c.ir += ir;
    if (line > 0 && fileOfLines === fileOfFunction && (c.line === 0 || line < c.line)) c.line = line;
    costs.set(key, c);
  }
  return [...costs.values()];
}

/**
 * Small validators for JSON from outside (API bodies, workflow artifacts): each takes a value and its path (`benchmarks[3].verdict`)
 * and either returns it typed or throws a `ValidationError` naming the path and what it got.
 */
import { UserError } from '../errors.js';

/** A posted document that does not have the expected shape; the message names the field. */
export class ValidationError extends UserError {}

const shown = (v: unknown): string => {
  const s = JSON.stringify(v);
  if (s === undefined) return String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
};

/** Throws "`path` must be `expected` but got …". */
export function invalid(path: string, expected: string, got: unknown): never {
  throw new ValidationError(`${path} must be ${expected} but got ${got === undefined ? 'nothing' : shown(got)}`);
}

/** A plain object. */
export function object(v: unknown, path: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) invalid(path, 'an object', v);
  return v as Record<string, unknown>;
}

/** An array of at most `max` items. */
export function array(v: unknown, path: string, max = 100_000): unknown[] {
  if (!Array.isArray(v)) invalid(path, 'an array', v);
  if (v.length > max) invalid(path, `an array of at most ${max} items`, `${v.length} items`);
  return v;
}

/** A string of 1 to `max` characters (0 allowed when `empty`). */
export function string(v: unknown, path: string, max = 1000, empty = false): string {
  if (typeof v !== 'string' || (!empty && v.length === 0) || v.length > max)
    invalid(path, `a string of ${empty ? 0 : 1} to ${max} characters`, v);
  return v;
}

/** A string or null. */
export function nullableString(v: unknown, path: string, max = 1000): string | null {
  return v === null ? null : string(v, path, max, true);
}

/** A string matching `pattern` (described as `what`). */
export function matching(v: unknown, path: string, pattern: RegExp, what: string): string {
  if (typeof v !== 'string' || !pattern.test(v)) invalid(path, what, v);
  return v;
}

/** A finite number within [min, max]. */
export function number(v: unknown, path: string, min = -Number.MAX_VALUE, max = Number.MAX_VALUE): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max)
    invalid(path, `a finite number from ${min} to ${max}`, v);
  return v;
}

/** A finite number or null. */
export function nullableNumber(v: unknown, path: string, min?: number, max?: number): number | null {
  return v === null ? null : number(v, path, min, max);
}

/** An integer within [min, max]. */
export function integer(v: unknown, path: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
    invalid(path, `an integer from ${min} to ${max}`, v);
  return v;
}

/** A boolean. */
export function boolean(v: unknown, path: string): boolean {
  if (typeof v !== 'boolean') invalid(path, 'true or false', v);
  return v;
}

/** One of the listed strings. */
export function oneOf<T extends string>(v: unknown, path: string, values: readonly T[]): T {
  if (typeof v !== 'string' || !values.includes(v as T)) invalid(path, `one of ${values.join(', ')}`, v);
  return v as T;
}

/** An ISO 8601 date-time string. */
export function isoDate(v: unknown, path: string): string {
  if (typeof v !== 'string' || v.length > 40 || !/^\d{4}-\d{2}-\d{2}T/.test(v) || Number.isNaN(Date.parse(v)))
    invalid(path, 'an ISO 8601 date-time', v);
  return v;
}

/**
 * A free-form JSON object (run settings, verdict details) nested at most `maxDepth` levels and at
 * most `maxChars` characters of JSON: anything stored, hashed and rendered later stays small and
 * shallow enough to walk recursively.
 */
export function freeForm(v: unknown, path: string, maxDepth: number, maxChars: number): Record<string, unknown> {
  const o = object(v, path);
  // Walked without recursion, so a hostile depth cannot overflow the stack here.
  const stack: [unknown, number][] = [[o, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop() as [unknown, number];
    if (typeof value !== 'object' || value === null) continue;
    if (depth > maxDepth) invalid(path, `JSON nested at most ${maxDepth} levels deep`, `deeper nesting`);
    for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
  const chars = JSON.stringify(o).length;
  if (chars > maxChars) invalid(path, `at most ${maxChars} characters of JSON`, `${chars} characters`);
  return o;
}

/**
 * The value parsers behind every config key and action input: each turns a raw value (a JSON
 * value or a flag's string) into a typed one, or throws a ConfigError naming the key and the value.
 */
import { UserError } from '../errors.js';

/** A configuration or usage mistake, naming the key at fault. */
export class ConfigError extends UserError {}

/** Turns a raw value into a typed one, or throws a ConfigError. */
export type Parser = (raw: unknown) => unknown;

export const show = (raw: unknown): string =>
  typeof raw === 'string' ? `'${raw}'` : (JSON.stringify(raw) ?? String(raw));

export function fail(key: string, expected: string, raw: unknown): never {
  throw new ConfigError(`'${key}' must be ${expected} but got ${show(raw)}`, key);
}

export function integer(key: string, min: number, max: number): Parser {
  return (raw) => {
    const n = typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : raw;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
      fail(key, `an integer from ${min} to ${max}`, raw);
    }
    return n;
  };
}

export function positiveNumber(key: string, max: number): Parser {
  return (raw) => {
    const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
    if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0 || n > max) {
      fail(key, `a number of seconds above 0 and at most ${max}`, raw);
    }
    return n;
  };
}

export function text(key: string): Parser {
  return (raw) => {
    if (typeof raw !== 'string' || raw.trim() === '') fail(key, 'a non-empty string', raw);
    return raw;
  };
}

export function choice<T extends string>(key: string, values: readonly T[]): Parser {
  return (raw) => {
    if (typeof raw !== 'string' || !values.includes(raw as T)) fail(key, `one of ${values.join(', ')}`, raw);
    return raw;
  };
}

export function bool(key: string): Parser {
  return (raw) => {
    if (raw === true || raw === 'true') return true;
    if (raw === false || raw === 'false') return false;
    return fail(key, 'true or false', raw);
  };
}

/** Accepts `2`, `2%`, `'2.5%'`; the value is in percent. */
export function percentage(key: string): Parser {
  return (raw) => {
    const m = typeof raw === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(raw) : null;
    const n = typeof raw === 'number' ? raw : m ? Number(m[1]) : NaN;
    if (!Number.isFinite(n) || n <= 0 || n >= 100) fail(key, 'a percentage like 2%', raw);
    return n;
  };
}

export function probability(key: string): Parser {
  return (raw) => {
    const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
    if (typeof n !== 'number' || !(n > 0 && n < 0.5)) fail(key, 'a probability between 0 and 0.5 like 0.01', raw);
    return n;
  };
}

export function httpUrl(key: string): Parser {
  return (raw) => {
    let url: URL | null = null;
    try {
      url = typeof raw === 'string' ? new URL(raw) : null;
    } catch {
      url = null;
    }
    if (
      url === null ||
      (url.protocol !== 'https:' && url.protocol !== 'http:') ||
      url.username !== '' ||
      url.password !== ''
    ) {
      fail(key, 'an http(s) URL like https://github.com/owner/repo', raw);
    }
    return url.href.replace(/\/+$/, '');
  };
}

/** A git branch name we will push to: plain characters, no `..`, not an option. */
export function branchName(key: string): Parser {
  return (raw) => {
    if (
      typeof raw !== 'string' ||
      !/^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$/.test(raw) ||
      raw.includes('..') ||
      raw.endsWith('/') ||
      raw.endsWith('.lock')
    ) {
      fail(key, 'a branch name of letters, digits, ., _, / and - (like benchgate-data)', raw);
    }
    return raw;
  };
}

/** Secrets are checked for shape only; the message never repeats the value. */
export function secret(key: string): Parser {
  return (raw) => {
    if (typeof raw !== 'string' || raw.trim() === '' || /\s/.test(raw.trim()))
      throw new ConfigError(`'${key}' must be a token without spaces (value not shown)`);
    return raw.trim();
  };
}

/** Host names, comma-separated (or a JSON array): letters, digits, `.` and `-`, or a bracketed IPv6 address. */
export function hostNames(key: string): Parser {
  return (raw) => {
    const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : null;
    const names = list?.map((h) => (typeof h === 'string' ? h.trim().toLowerCase() : '')) ?? [];
    if (names.length === 0 || !names.every((h) => /^(?:[a-z0-9](?:[a-z0-9.-]{0,252})|\[[0-9a-f:.]+\])$/.test(h)))
      fail(key, 'comma-separated host names like bench.example.org,bench', raw);
    return names;
  };
}

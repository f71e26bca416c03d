/**
 * The `harnesses` section: the benchmarks a project already has, run by their own harness, e.g.
 * `[{"harness": "go", "command": "go test -run ^$ -bench . -benchmem ./..."},
 *   {"harness": "command", "name": "cli/startup", "command": "./bin/tool --version", "runs": 10}]`.
 */
import { isAbsolute, normalize } from 'node:path';
import { ConfigError, integer, show } from './parse.js';

/** The harnesses benchgate can run and read. */
export const HARNESSES = [
  'pytest-benchmark',
  'google-benchmark',
  'go',
  'criterion',
  'vitest',
  'hyperfine',
  'command',
  'json',
] as const;

/** One of {@link HARNESSES}. */
export type HarnessKind = (typeof HARNESSES)[number];

/** One configured harness. */
export interface HarnessEntry {
  harness: HarnessKind;
  /** The shell command that runs the benchmarks (benchgate adds the flags it needs). */
  command: string;
  /** Folder to run it in, relative to the repository root; null = where benchgate was started. */
  cwd: string | null;
  /** `command`: the benchmark's name. */
  name: string | null;
  /** `command`: timed runs per round, and warm-up runs before them. */
  runs: number | null;
  warmup: number | null;
}

const KEYS = ['harness', 'command', 'cwd', 'name', 'runs', 'warmup'] as const;

/** A benchmark name a person wrote: 1–200 printable characters. */
const NAME = /^[^\p{Cc}]{1,200}$/u;

function entry(raw: unknown, key: string): HarnessEntry {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new ConfigError(
      `'${key}' must be an object like {"harness": "go", "command": "go test -bench ."} but got ${show(raw)}`,
      key,
    );
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o))
    if (!(KEYS as readonly string[]).includes(k))
      throw new ConfigError(`unknown key '${k}' in '${key}' (known keys: ${KEYS.join(', ')})`, `${key}.${k}`);
  if (typeof o.harness !== 'string' || !(HARNESSES as readonly string[]).includes(o.harness))
    throw new ConfigError(
      `'${key}.harness' must be one of ${HARNESSES.join(', ')} but got ${show(o.harness)}`,
      `${key}.harness`,
    );
  const harness = o.harness as HarnessKind;
  if (typeof o.command !== 'string' || o.command.trim() === '' || o.command.length > 4000 || o.command.includes('\0'))
    throw new ConfigError(`'${key}.command' must be a shell command but got ${show(o.command)}`, `${key}.command`);
  let cwd: string | null = null;
  if (o.cwd !== undefined) {
    const n = typeof o.cwd === 'string' ? normalize(o.cwd) : '';
    if (typeof o.cwd !== 'string' || o.cwd === '' || isAbsolute(n) || n === '..' || n.startsWith('../'))
      throw new ConfigError(
        `'${key}.cwd' must be a folder inside the repository, relative to its root, but got ${show(o.cwd)}`,
        `${key}.cwd`,
      );
    cwd = n;
  }
  let name: string | null = null;
  if (o.name !== undefined) {
    if (typeof o.name !== 'string' || !NAME.test(o.name))
      throw new ConfigError(`'${key}.name' must be 1–200 printable characters but got ${show(o.name)}`, `${key}.name`);
    name = o.name;
  }
  if (harness === 'command' && name === null)
    throw new ConfigError(
      `'${key}.name' is required for the command harness: the benchmark's name, e.g. "cli/startup"`,
      `${key}.name`,
    );
  if (harness !== 'command' && (o.name !== undefined || o.runs !== undefined || o.warmup !== undefined))
    throw new ConfigError(
      `'${key}': name, runs and warmup are for the command harness only (the ${harness} harness names its own benchmarks)`,
      key,
    );
  return {
    harness,
    command: o.command,
    cwd,
    name,
    runs: o.runs === undefined ? null : (integer(`${key}.runs`, 1, 1000)(o.runs) as number),
    warmup: o.warmup === undefined ? null : (integer(`${key}.warmup`, 0, 100)(o.warmup) as number),
  };
}

/** Parses the `harnesses` section: a list of harness entries, at most 64, no benchmark name twice. */
export function parseHarnesses(raw: unknown): HarnessEntry[] {
  if (!Array.isArray(raw) || raw.length > 64)
    throw new ConfigError(`'harnesses' must be a list of at most 64 harnesses but got ${show(raw)}`, 'harnesses');
  const entries = raw.map((r, i) => entry(r, `harnesses[${i}]`));
  const names = entries.flatMap((e) => (e.name === null ? [] : [e.name]));
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined)
    throw new ConfigError(`'harnesses' names the command benchmark '${twice}' twice`, 'harnesses');
  return entries;
}

/** The `shard` key: `K/N` from a flag only, with an error naming the key and the value. */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/parse.js';
import { GATING_KEYS, parseConfigText, parseShard, resolveConfig } from '../../../src/config/schema.js';
import { tempDir } from '../../helpers.js';

describe('shard', () => {
  it('reads K/N', () => {
    expect(parseShard('2/4')).toEqual({ k: 2, n: 4 });
    expect(parseShard(' 1 / 1 ')).toEqual({ k: 1, n: 1 });
    expect(resolveConfig({ shard: '3/8' }, tempDir()).shard).toEqual({ k: 3, n: 8 });
    expect(resolveConfig({}, tempDir()).shard).toBeNull();
  });

  it.each(['0/4', '5/4', '4', '1/0', '1/65', 'a/b', '-1/2', '1.5/2', ''])('refuses %j, naming the key', (raw) => {
    expect(() => parseShard(raw)).toThrow(ConfigError);
    expect(() => parseShard(raw)).toThrow(/'shard' must be K\/N, shard K of N with 1 ≤ K ≤ N ≤ 64, like 2\/4 but got/);
  });

  it('is a flag of one CI job: not read from the config file, and no gating key', () => {
    expect(() => parseConfigText('{"shard": "1/2"}', 'b.json')).toThrow(
      "'shard' in b.json: set it per CI job with --shard K/N, not in the config file",
    );
    expect(GATING_KEYS as readonly string[]).not.toContain('shard');
  });
});

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/parse.js';
import { readTokenOf } from '../../../src/config/read-token.js';
import { resolveConfig, timeBudgetOf } from '../../../src/config/schema.js';
import { tempDir } from '../../helpers.js';

describe('resolveConfig', () => {
  it('gives profile-dependent defaults and resolves paths against cwd', () => {
    const dir = tempDir();
    const quick = resolveConfig({}, dir);
    expect(quick).toMatchObject({
      profile: 'quick',
      rounds: 5,
      alpha: 0.01,
      threshold: null,
      filter: null,
      isolation: 'paired',
      timeBudget: null,
      minRounds: 6,
      maxRounds: 40,
    });
    expect([timeBudgetOf(quick, 'run'), timeBudgetOf(quick, 'compare')]).toEqual([60, 300]);
    expect(timeBudgetOf({ ...quick, timeBudget: 5 }, 'compare')).toBe(5);
    expect(quick.db).toBe(join(dir, 'baselines/history.db'));
    expect(resolveConfig({ profile: 'full' }, dir).rounds).toBe(7);
  });

  it('parses flag strings into typed values', () => {
    const c = resolveConfig(
      { rounds: '9', 'time-budget': '2.5', threshold: '3%', alpha: '0.05', json: true, filter: 'matmul/*' },
      tempDir(),
    );
    expect(c).toMatchObject({ rounds: 9, timeBudget: 2.5, threshold: 3, alpha: 0.05, json: true, filter: 'matmul/*' });
  });

  it.each([
    [{ rounds: 'abc' }, `'rounds' must be an integer from 1 to 1000 but got 'abc'`],
    [{ rounds: '0' }, `'rounds' must be an integer from 1 to 1000 but got '0'`],
    [{ 'time-budget': '-1' }, `'time-budget' must be a number of seconds above 0`],
    [{ profile: 'huge' }, `'profile' must be one of quick, full but got 'huge'`],
    [{ threshold: 'abc' }, `'threshold' must be a percentage like 2% but got 'abc'`],
    [{ alpha: '2' }, `'alpha' must be a probability between 0 and 0.5`],
    [{ isolation: 'thread' }, `'isolation' must be one of paired, process but got 'thread'`],
  ])('rejects %j naming the key and value', (flags, message) => {
    expect(() => resolveConfig(flags, tempDir())).toThrow(ConfigError);
    expect(() => resolveConfig(flags, tempDir())).toThrow(message);
  });

  it('reads benchgate.config.json, validates every key, and lets flags win', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'benchgate.config.json'), JSON.stringify({ rounds: 3, filter: 'a/*', 'time-budget': 10 }));
    expect(resolveConfig({ rounds: '4' }, dir)).toMatchObject({ rounds: 4, filter: 'a/*', timeBudget: 10 });
  });

  it('rejects an unknown key in the file, naming it and the file', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'benchgate.config.json'), JSON.stringify({ rounds: 3, roundz: 4 }));
    expect(() => resolveConfig({}, dir)).toThrow(/unknown key 'roundz' in .*benchgate\.config\.json/);
  });

  it('rejects a bad value type in the file', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bg.json'), JSON.stringify({ rounds: 2.5 }));
    expect(() => resolveConfig({ config: 'bg.json' }, dir)).toThrow(
      `'rounds' must be an integer from 1 to 1000 but got 2.5`,
    );
  });

  it('rejects a file that is not a JSON object, and a missing --config file', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.json'), '[1, 2]');
    expect(() => resolveConfig({ config: 'bad.json' }, dir)).toThrow(/must hold a JSON object/);
    writeFileSync(join(dir, 'broken.json'), '{ rounds: ');
    expect(() => resolveConfig({ config: 'broken.json' }, dir)).toThrow(/cannot read config file/);
    expect(() => resolveConfig({ config: 'missing.json' }, dir)).toThrow(`'config' file not found: 'missing.json'`);
  });

  it('rejects min-rounds above max-rounds', () => {
    expect(() => resolveConfig({ 'min-rounds': '10', 'max-rounds': '5' }, tempDir())).toThrow(
      /'min-rounds' \(10\) must not exceed 'max-rounds' \(5\)/,
    );
  });
});

describe('serve keys', () => {
  it('parses allowed hosts from a comma-separated flag or a JSON array, and refuses anything else', () => {
    const dir = tempDir();
    expect(resolveConfig({ 'allowed-hosts': 'bench.example.org, Bench2' }, dir).allowedHosts).toEqual([
      'bench.example.org',
      'bench2',
    ]);
    writeFileSync(join(dir, 'benchgate.config.json'), JSON.stringify({ 'allowed-hosts': ['a.example', '[::1]'] }));
    expect(resolveConfig({}, dir).allowedHosts).toEqual(['a.example', '[::1]']);
    expect(resolveConfig({}, tempDir()).allowedHosts).toBeNull();
    for (const bad of ['evil.example/path', 'a b', '', 'x,,y'])
      expect(() => resolveConfig({ 'allowed-hosts': bad }, tempDir())).toThrow(
        /'allowed-hosts' must be comma-separated host names/,
      );
  });

  it('takes the read token from the flag, else the file, else BENCHGATE_READ_TOKEN, and never shows it', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'token'), 'file-token\n');
    const config = resolveConfig({ 'read-token-file': 'token' }, dir);
    expect(config.readTokenFile).toBe(join(dir, 'token'));
    expect(readTokenOf(config.readToken, config.readTokenFile, {})).toBe('file-token');
    expect(readTokenOf('flag-token', null, { BENCHGATE_READ_TOKEN: 'env-token' })).toBe('flag-token');
    expect(readTokenOf(null, null, { BENCHGATE_READ_TOKEN: 'env-token' })).toBe('env-token');
    expect(readTokenOf(null, null, {})).toBeNull();
    expect(() => readTokenOf('a', join(dir, 'token'), {})).toThrow(/both set/);
    expect(() => readTokenOf(null, null, { BENCHGATE_READ_TOKEN: 'two words' })).toThrow(
      /'BENCHGATE_READ_TOKEN' must be a token without spaces \(value not shown\)/,
    );
    expect(() => resolveConfig({ 'read-token': 'has space' }, dir)).toThrow(/value not shown/);
  });
});

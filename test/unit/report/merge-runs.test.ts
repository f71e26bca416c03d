/**
 * `merge`'s checks: shards of one run join into one report; a missing, doubled or foreign shard,
 * or a hostile file, stops the merge with a problem that names it. The shards are cut from a
 * captured compare report (test/fixtures/report) the way `compare --shard` records them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { selectShard } from '../../../src/measure/shards.js';
import type { RunReport } from '../../../src/model.js';
import { mergeFailureMarkdown, mergeRuns } from '../../../src/report/merge-runs.js';
import { renderJson } from '../../../src/report/json.js';
import { summarise } from '../../../src/report/summary.js';
import { validateRun } from '../../../src/validate/run.js';
import { tempDir } from '../../helpers.js';

const whole = validateRun(
  JSON.parse(readFileSync(new URL('../../fixtures/report/compare-run-v1.json', import.meta.url), 'utf8')),
);
const dir = tempDir('benchgate-merge-');

/** Shard k of n of the fixture run, as `compare --shard k/n` would record it. */
function shardOf(k: number, n: number): RunReport {
  const items = whole.benchmarks.map((b) => ({ name: b.name, cost: null, inFamily: b.presence === 'both' }));
  const { names, record } = selectShard(items, { k, n }, 0.01);
  const benchmarks = structuredClone(whole.benchmarks.filter((b) => names.has(b.name)));
  const familySize = benchmarks.filter((b) => b.presence === 'both' && b.state !== 'skipped').length;
  return {
    ...structuredClone(whole),
    id: `shard-${k}-of-${n}`,
    benchmarks,
    settings: { ...structuredClone(whole.settings), alpha: record.alpha, familySize, shard: record },
  };
}

let files = 0;
const saved = (report: unknown): string => {
  const path = join(dir, `report-${files++}.json`);
  writeFileSync(path, typeof report === 'string' ? report : renderJson(report as RunReport));
  return path;
};
const problemsOf = (paths: string[]) => mergeRuns(paths).problems.join('\n');

describe('mergeRuns', () => {
  it('joins shards 1..3 into one run: every benchmark once, the summary recounted, α the whole run’s', () => {
    const shards = [3, 1, 2].map((k) => shardOf(k, 3));
    expect(shards.every((s) => s.benchmarks.length > 0)).toBe(true);
    const merged = mergeRuns(shards.map(saved));
    expect(merged.problems).toEqual([]);
    const report = merged.report as RunReport;
    const key = (b: { name: string; presence: string }) => `${b.name}|${b.presence}`;
    expect(report.benchmarks.map(key).sort()).toEqual(whole.benchmarks.map(key).sort());
    expect(report.summary).toEqual(summarise(whole.benchmarks));
    expect(report.base?.sha).toBe(whole.base?.sha);
    expect(report.head.sha).toBe(whole.head.sha);
    expect(report.settings).toMatchObject({ alpha: 0.01, base: 'HEAD~1', head: 'HEAD', familySize: 2 });
    const info = report.settings.shards as { n: number; runs: { k: number; run: string }[] };
    expect(info.n).toBe(3);
    expect(info.runs.map((r) => [r.k, r.run])).toEqual([
      [1, 'shard-1-of-3'],
      [2, 'shard-2-of-3'],
      [3, 'shard-3-of-3'],
    ]);
    expect(report.id).not.toBe(whole.id);
  });

  it('names a missing shard', () => {
    const merged = mergeRuns([shardOf(1, 3), shardOf(3, 3)].map(saved));
    expect(merged.report).toBeNull();
    expect(merged.problems).toEqual(['shard 2/3 is missing']);
    expect(mergeFailureMarkdown(merged.problems)).toMatch(/nothing was decided[\s\S]*shard 2\/3 is missing/);
  });

  it('names a shard given twice, and both files', () => {
    const twice = saved(shardOf(2, 2));
    const again = saved(shardOf(2, 2));
    const problems = problemsOf([saved(shardOf(1, 2)), twice, again]);
    expect(problems).toContain(`shard 2/2 is given twice: ${twice} and ${again}`);
  });

  it('refuses shards of different commits, settings or partitions', () => {
    const other = shardOf(2, 2);
    other.head = { ...other.head, sha: 'f'.repeat(40) };
    expect(problemsOf([saved(shardOf(1, 2)), saved(other)])).toMatch(/the head commit is .* but "f{40}" in/);
    const filtered = shardOf(2, 2);
    filtered.settings.filter = 'spin/*';
    expect(problemsOf([saved(shardOf(1, 2)), saved(filtered)])).toMatch(
      /setting 'filter' is null in .* but "spin\/\*"/,
    );
    expect(problemsOf([saved(shardOf(1, 2)), saved(shardOf(2, 3))])).toMatch(
      /the number of shards is 2 in .* but 3 in[\s\S]*the partition/,
    );
  });

  it('refuses a benchmark claimed by two shards and α that adds up to more than the run’s', () => {
    const greedy = shardOf(2, 2);
    greedy.benchmarks.push(...structuredClone(shardOf(1, 2).benchmarks.slice(0, 1)));
    delete (greedy.settings.shard as { names?: string[] }).names;
    expect(problemsOf([saved(shardOf(1, 2)), saved(greedy)])).toMatch(/is in shard 1\/2 and shard 2\/2/);
    const loose = shardOf(2, 2);
    (loose.settings.shard as { alpha: number }).alpha = 0.01;
    expect(problemsOf([saved(shardOf(1, 2)), saved(loose)])).toMatch(/α add up to .* more than the run's α 0.01/);
  });

  it('names the file and the field of a report that is not a shard’s, not JSON, or hostile', () => {
    const plain = saved(whole);
    expect(problemsOf([plain])).toBe(`${plain}: not a shard's report (its run was not given --shard K/N)`);
    const broken = saved('{"schema": ');
    expect(problemsOf([broken])).toMatch(new RegExp(`^${broken}: .*JSON`));
    const hostile = shardOf(1, 1) as unknown as { settings: { shard: Record<string, unknown> } };
    hostile.settings.shard.k = '1; rm -rf /';
    expect(problemsOf([saved(hostile)])).toMatch(/settings\.shard\.k must be an integer from 1 to 1/);
    const polluting = saved(
      renderJson(shardOf(1, 1)).replace('"settings": {', '"settings": {"__proto__": {"polluted": true},'),
    );
    expect(mergeRuns([polluting]).problems).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('needs at least one report', () => {
    expect(mergeRuns([]).problems).toEqual(['no shard reports to merge']);
  });
});

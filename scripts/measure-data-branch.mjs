// Measures how the data branch grows: appends a real run report (argv[2], e.g. benchgate-report.json
// from `benchgate run`) 50 times to a local bare repository and prints the packed bytes per run.
// Usage: npm run build:ts && node scripts/measure-data-branch.mjs benchgate-report.json
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
const { appendRun, checkoutDataBranch } = await import(
  new URL('../dist/src/github/data-branch.js', import.meta.url).href
);
const report = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const base = mkdtempSync(join(tmpdir(), 'bg-measure-'));
const remote = join(base, 'origin.git');
execFileSync('git', ['init', '-q', '--bare', remote]);
const d = { remote, branch: 'benchgate-data', token: null, dir: join(base, 'work'), keepRuns: 500 };
await checkoutDataBranch(d);
const size = () => {
  execFileSync('git', ['gc', '-q', '--aggressive'], { cwd: remote });
  return Number(execFileSync('du', ['-sb', join(remote, 'objects')], { encoding: 'utf8' }).split('\t')[0]);
};
await appendRun(d, { ...report, id: randomUUID() });
const s1 = size();
const N = 50;
for (let i = 0; i < N; i++)
  await appendRun(d, {
    ...report,
    id: randomUUID(),
    startedAt: new Date(Date.parse(report.startedAt) + (i + 1) * 60000).toISOString(),
  });
const s2 = size();
console.log(JSON.stringify({ runs: N, bytesPerRunInRepo: Math.round((s2 - s1) / N) }));

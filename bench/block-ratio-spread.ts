/**
 * The per-round noise of the two paired statistics, A/A: N fresh processes each load two instances
 * of the built-in suite, time one benchmark's two cases in alternating blocks as compare's worker
 * does (src/measure/alternate.ts), and report d both ways — the ratio of the two sides' medians and
 * the block-by-block ratio (`blockLogRatio`). Prints each statistic's interquartile range and range
 * over the processes (docs/method/real-regressions.md, "Two speeds").
 *
 *   npm run build:ts && node dist/bench/block-ratio-spread.js BENCHMARK [PROCESSES=20] [TASK_MS=300]
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median } from 'simple-statistics';
import { alternate, blockLogRatio } from '../src/measure/alternate.js';
import { warmupMsFor, WARMUP_CALLS } from '../src/measure/protocol.js';
import { loadSuite, selectCases } from '../src/measure/suite.js';

const [name, processes = '20', taskMs = '300', child] = process.argv.slice(2);
if (name === undefined) throw new Error('usage: block-ratio-spread BENCHMARK [PROCESSES] [TASK_MS]');

async function oneProcess(): Promise<void> {
  const sides = [];
  for (const side of ['base', 'head'] as const) {
    const c = selectCases(await loadSuite(null, `side=${side}`), 'quick', name as string);
    const prepared = await c[0]!.setup();
    sides.push({ side, run: prepared.run.bind(prepared) as () => unknown });
  }
  const task = Number(taskMs);
  const [base, head] = await alternate(sides, {
    taskTimeMs: task,
    minIterations: 10,
    warmupMs: warmupMsFor(task),
    warmupIterations: WARMUP_CALLS,
  });
  const medians = Math.log(median(head!.samplesMs) / median(base!.samplesMs));
  process.stdout.write(`${JSON.stringify({ medians, blocks: blockLogRatio(base!, head!) })}\n`);
}

function summary(label: string, xs: number[]): string {
  const s = xs.map((x) => 100 * x).sort((a, b) => a - b);
  const q = (p: number) => s[Math.floor(p * (s.length - 1))] as number;
  return `${label}: IQR ${(q(0.75) - q(0.25)).toFixed(2)} points, range ${q(0).toFixed(1)}% … ${q(1).toFixed(1)}%`;
}

if (child === 'child') await oneProcess();
else {
  const self = fileURLToPath(import.meta.url);
  const rows = Array.from(
    { length: Number(processes) },
    () =>
      JSON.parse(execFileSync(process.execPath, [self, name, processes, taskMs, 'child'], { encoding: 'utf8' })) as {
        medians: number;
        blocks: number;
      },
  );
  console.log(`${name}, ${rows.length} A/A processes, ${taskMs} ms a side`);
  console.log(
    summary(
      'ratio of medians',
      rows.map((r) => r.medians),
    ),
  );
  console.log(
    summary(
      'block by block  ',
      rows.map((r) => r.blocks),
    ),
  );
}

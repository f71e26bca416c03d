// A tiny benchmark script for benchgate's `json` harness: times two functions and writes
// {"benchmarks": {"<name>": {"time": <seconds per call>, ...}}} to $BENCHGATE_OUTPUT (stdout when unset).
// When $BENCHGATE_ONLY is set it runs only the benchmarks named there, one per line.
import { writeFileSync } from 'node:fs';

const numbers = Array.from({ length: 1000 }, (_, i) => (i * 7919) % 1000);
const record = { id: 42, tags: ['a', 'b', 'c'], nested: { x: 1.5, y: [1, 2, 3] } };

// Each benchmark: the function timed, and its other figures given its seconds per call.
const benchmarks = {
  'sort/1k': {
    fn: () => [...numbers].sort((a, b) => a - b),
    more: (time) => ({ 'items/s': numbers.length / time, 'peak-memory': process.resourceUsage().maxRSS * 1024 }),
  },
  'json/roundtrip': {
    fn: () => JSON.parse(JSON.stringify(record)),
    more: () => ({ 'bytes/op': JSON.stringify(record).length }),
  },
};

/** Median seconds per call over 15 batches of `calls` calls, after one batch of warm-up. */
function secondsPerCall(fn, calls = 200) {
  for (let i = 0; i < calls; i++) fn();
  const batches = [];
  for (let b = 0; b < 15; b++) {
    const started = performance.now();
    for (let i = 0; i < calls; i++) fn();
    batches.push((performance.now() - started) / 1000 / calls);
  }
  return batches.sort((a, b) => a - b)[7];
}

const only = process.env.BENCHGATE_ONLY?.split('\n');
const out = {};
for (const [name, b] of Object.entries(benchmarks)) {
  if (only && !only.includes(name)) continue;
  const time = secondsPerCall(b.fn);
  out[name] = { time, ...b.more(time) };
}

const text = JSON.stringify({ benchmarks: out }, null, 2) + '\n';
if (process.env.BENCHGATE_OUTPUT) writeFileSync(process.env.BENCHGATE_OUTPUT, text);
else process.stdout.write(text);

/**
 * The `instructions` measure's parts that need no valgrind: reading the count from a captured
 * callgrind output file (test/fixtures/callgrind), hostile or broken files naming what is wrong,
 * and the calls K1 < K2 chosen from a benchmark's time per call.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  COUNT_TARGET_MS,
  countCalls,
  InstructionsError,
  MAX_COUNT_CALLS,
  parseCallgrindSummary,
  REPEATABLE_NODE_FLAGS,
} from '../../../src/measure/instructions.js';

const captured = readFileSync(new URL('../../fixtures/callgrind/true.callgrind.out', import.meta.url), 'utf8');
const header = captured.slice(0, 4096);

describe('parseCallgrindSummary', () => {
  it('reads the instruction count of the captured file from its summary line', () => {
    expect(parseCallgrindSummary(header, 'fixture')).toBe(126_573);
    // The same count valgrind printed, and the file's closing totals line.
    expect(readFileSync(new URL('../../fixtures/callgrind/valgrind-stderr.txt', import.meta.url), 'utf8')).toContain(
      'Collected : 126573',
    );
    expect(captured.trimEnd().endsWith('totals: 126573')).toBe(true);
  });

  it('takes the Ir column wherever the events line puts it', () => {
    const cache = header.replace('events: Ir', 'events: Dr Ir Dw').replace('summary: 126573', 'summary: 5 126573 7');
    expect(parseCallgrindSummary(cache, 'f')).toBe(126_573);
  });

  const broken: [string, string, RegExp][] = [
    ['not callgrind', 'hello\nsummary: 5\n', /out\.x is not a callgrind output file/],
    ['no events line', header.replace(/^events:.*$/m, ''), /has no 'events:' line/],
    ['no Ir event', header.replace('events: Ir', 'events: Dr'), /does not count instructions: 'events: Dr'/],
    ['no summary line', header.replace(/^summary:.*$/m, ''), /has no 'summary:' line/],
    ['a negative count', header.replace('summary: 126573', 'summary: -5'), /malformed 'summary:' line: '-5'/],
    ['an exponent', header.replace('summary: 126573', 'summary: 1e300'), /malformed 'summary:' line/],
    ['an absurd count', header.replace('summary: 126573', `summary: ${'9'.repeat(40)}`), /malformed 'summary:' line/],
    ['a prototype key', header.replace('summary: 126573', 'summary: __proto__'), /malformed 'summary:' line/],
  ];
  it.each(broken)('rejects %s, naming the problem', (_, text, message) => {
    expect(() => parseCallgrindSummary(text, 'out.x')).toThrow(InstructionsError);
    expect(() => parseCallgrindSummary(text, 'out.x')).toThrow(message);
  });
});

describe('countCalls', () => {
  it('aims K1 at the target time, K2 at twice as many calls', () => {
    expect(countCalls(0.3)).toEqual([Math.ceil(COUNT_TARGET_MS / 0.3), 2 * Math.ceil(COUNT_TARGET_MS / 0.3)]);
    expect(countCalls(500)).toEqual([1, 2]);
    expect(countCalls(1e-6)).toEqual([MAX_COUNT_CALLS, 2 * MAX_COUNT_CALLS]);
    expect(countCalls(null)).toEqual([1, 2]);
    expect(countCalls(NaN)).toEqual([1, 2]);
  });
});

describe('REPEATABLE_NODE_FLAGS', () => {
  it('runs V8 predictably with fixed seeds', () => {
    expect(REPEATABLE_NODE_FLAGS).toEqual(
      expect.arrayContaining(['--predictable', '--random-seed=1', '--hash-seed=1']),
    );
  });
});

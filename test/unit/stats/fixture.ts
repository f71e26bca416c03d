// Loads reference values written by scripts/reference/stats-reference.py (see its header).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

/** The `cases` of test/fixtures/stats/<name>.json. */
export function loadCases<T>(name: string): T {
  const url = new URL(`../../fixtures/stats/${name}.json`, import.meta.url);
  return (JSON.parse(readFileSync(fileURLToPath(url), 'utf8')) as { cases: T }).cases;
}

/** |actual − expected| ≤ tol·max(|expected|, floor): relative, with an absolute floor near zero. */
export function expectClose(
  actual: number | null | undefined,
  expected: number | null,
  tol = 1e-9,
  floor = 1e-300,
): void {
  if (expected === null) {
    expect(actual ?? null).toBeNull();
    return;
  }
  expect(typeof actual).toBe('number');
  const a = actual as number;
  const allowed = tol * Math.max(Math.abs(expected), floor);
  if (!(Math.abs(a - expected) <= allowed)) {
    expect.fail(`expected ${a} to be within ${allowed} of ${expected}`);
  }
}

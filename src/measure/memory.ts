/**
 * Extra memory of a benchmark: how far the process's resident set rises above what it held before
 * (fixture included) while the implementation prepares and runs once. Linux exposes a resettable
 * high-water mark (/proc/self/clear_refs, VmHWM), which catches peaks inside a native call that are
 * freed before it returns; elsewhere the figure is the resident-set growth sampled after the call.
 */
import { readFileSync, writeFileSync } from 'node:fs';

function statusKiB(field: 'VmRSS' | 'VmHWM'): number | null {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

function resetPeak(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

/** Starts a window; the function it returns gives the peak resident-set growth since, in bytes. */
export function peakWindow(): () => number {
  const peakKnown = resetPeak();
  const before = statusKiB('VmRSS') ?? process.memoryUsage.rss();
  return () => Math.max(0, ((peakKnown ? statusKiB('VmHWM') : null) ?? process.memoryUsage.rss()) - before);
}

/** Runs `fn` and returns its result with the peak resident-set growth it caused, in bytes. */
export function withExtraMemory<T>(fn: () => T): { value: T; extraBytes: number } {
  const growth = peakWindow();
  const value = fn();
  return { value, extraBytes: growth() };
}

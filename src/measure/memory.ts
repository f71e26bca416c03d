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

/** Runs `fn` and returns its result with the peak resident-set growth it caused, in bytes. */
export function withExtraMemory<T>(fn: () => T): { value: T; extraBytes: number } {
  const peakKnown = resetPeak();
  const before = statusKiB('VmRSS') ?? process.memoryUsage.rss();
  const value = fn();
  const peak = (peakKnown ? statusKiB('VmHWM') : null) ?? process.memoryUsage.rss();
  return { value, extraBytes: Math.max(0, peak - before) };
}

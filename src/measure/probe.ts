/**
 * The run-time probe behind the testbed fingerprint: the SIMD level the native kernels use (CPUID
 * through the addon, after any BENCHGATE_SIMD cap) and the GPU the CUDA addon sees. Without the
 * addon it falls back to the CPU flags the OS reports, so a fingerprint never needs a build.
 */
import { readFileSync } from 'node:fs';
import { cudaDeviceName, simdLevel } from '../addon/index.js';
import type { TestbedProbe } from './testbed.js';

/** Maps CPU flags to benchgate's SIMD levels, widest first. */
export function simdFromFlags(flags: Set<string>): string {
  if (['avx512f', 'avx512dq', 'avx512vl'].every((f) => flags.has(f))) return 'avx512';
  if (flags.has('avx2') && flags.has('fma')) return 'avx2';
  if (flags.has('asimd')) return 'neon';
  if (flags.has('sse2')) return 'sse2';
  return 'scalar';
}

function cpuFlags(): Set<string> {
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    const line = /^(?:flags|Features)\s*:\s*(.*)$/m.exec(info);
    return new Set((line?.[1] ?? '').split(/\s+/));
  } catch {
    return new Set();
  }
}

/** Probes this machine. */
export async function runtimeProbe(): Promise<TestbedProbe> {
  const native = simdLevel();
  return { simd: native.reason === null ? native.level : simdFromFlags(cpuFlags()), gpu: cudaDeviceName() };
}

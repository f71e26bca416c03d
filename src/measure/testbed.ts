/**
 * The testbed fingerprint: what a measurement's machine is. History is only ever compared
 * within one testbed key, so the key hashes only what changes performance (CPU model, cores,
 * SIMD level, OS and architecture, Node major version, GPU) and not hostnames or patch levels.
 */
import { createHash } from 'node:crypto';
import os from 'node:os';
import type { Testbed } from '../model.js';

/** What the native layer detected at run time; passed in so tests can vary it. */
export interface TestbedProbe {
  simd: string;
  gpu: string | null;
}

/** Builds the testbed of this machine from the run-time probe. */
export function detectTestbed(probe: TestbedProbe): Testbed {
  const cpus = os.cpus();
  return testbedFrom({
    cpuModel: (cpus[0]?.model ?? 'unknown').trim(),
    cores: os.availableParallelism(),
    simd: probe.simd,
    os: `${process.platform}-${process.arch}`,
    node: process.version.split('.')[0] ?? process.version,
    gpu: probe.gpu,
  });
}

/** Completes a testbed with its key (a hash of the fields, in a fixed order). */
export function testbedFrom(fields: Omit<Testbed, 'key'>): Testbed {
  const canonical = JSON.stringify([fields.cpuModel, fields.cores, fields.simd, fields.os, fields.node, fields.gpu]);
  const key = createHash('sha256').update(canonical).digest('hex').slice(0, 16);
  return { key, ...fields };
}

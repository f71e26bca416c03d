// Every SIMD level of the gridding, select and ode-ensemble native rungs, each forced with
// BENCHGATE_SIMD in a fresh process (the level is fixed when the addon loads), against the oracles
// on awkward sizes (tails shorter than a vector, several chunks, more threads than work).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadNative } from '../../../src/addon/index.js';

const dist = join(fileURLToPath(new URL('../../..', import.meta.url)), 'dist', 'kernels');

const script = `
const { gridding } = await import(${JSON.stringify(join(dist, 'gridding', 'index.js'))});
const { checkGrid } = await import(${JSON.stringify(join(dist, 'gridding', 'oracle.js'))});
const { select } = await import(${JSON.stringify(join(dist, 'select', 'index.js'))});
const { checkSelection } = await import(${JSON.stringify(join(dist, 'select', 'oracle.js'))});
const { odeEnsemble } = await import(${JSON.stringify(join(dist, 'ode-ensemble', 'index.js'))});
const { checkOde } = await import(${JSON.stringify(join(dist, 'ode-ensemble', 'oracle.js'))});
const { loadNative } = await import(${JSON.stringify(join(dist, '..', 'src', 'addon', 'index.js'))});
const misses = [];
const native = (k) => k.implementations.filter((i) => i.name.startsWith('native-'));
for (const points of [1, 15, 17, 1000, (1 << 20) + 77]) {
  const gs = { name: 't', seed: points, params: { points, cells: 32 }, checksum: '' };
  const gf = gridding.generate(gs);
  for (const impl of native(gridding)) { const r = checkGrid(gf, impl.prepare(gf, gs).run()); if (r) misses.push('gridding/' + impl.name + '/' + points + ': ' + r); }
  const ss = { name: 't', seed: points + 1, params: { points, selected: 0 }, checksum: '' };
  const sf = select.generate(ss);
  for (const impl of native(select)) { const r = checkSelection(sf, impl.prepare(sf, ss).run()); if (r) misses.push('select/' + impl.name + '/' + points + ': ' + r); }
}
for (const systems of [1, 7, 33, 301]) {
  const os = { name: 't', seed: systems, params: { systems, steps: 60 }, checksum: '' };
  const of = odeEnsemble.generate(os);
  for (const impl of native(odeEnsemble)) { const r = checkOde(of, impl.prepare(of, os).run()); if (r) misses.push('ode/' + impl.name + '/' + systems + ': ' + r); }
}
console.log(JSON.stringify({ level: loadNative().simdLevel(), misses }));
`;

describe('native gridding, select and ode-ensemble at every SIMD level', () => {
  const widest = loadNative().cpuFeatures().widest;
  const order = ['scalar', 'avx2', 'avx512'] as const;
  const available = order.slice(0, order.indexOf(widest) + 1);

  it.each(order)('BENCHGATE_SIMD=%s passes every oracle', (level) => {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, BENCHGATE_SIMD: level, BENCHGATE_THREADS: '3' },
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { level: string; misses: string[] };
    expect(out.level).toBe(available.includes(level) ? level : widest);
    expect(out.misses).toEqual([]);
  });
});

describe('CUDA rungs of gridding, select and ode-ensemble', () => {
  it('are skipped with the reason where no device is present (checked against the oracles above where one is)', async () => {
    const { cudaUnavailableReason } = await import('../../../src/addon/index.js');
    const { gridding } = await import('../../../kernels/gridding/index.js');
    const { select } = await import('../../../kernels/select/index.js');
    const { odeEnsemble } = await import('../../../kernels/ode-ensemble/index.js');
    const reason = cudaUnavailableReason();
    for (const k of [gridding, select, odeEnsemble] as {
      name: string;
      implementations: { name: string; unavailable?: () => string | null }[];
    }[]) {
      const cuda = k.implementations.find((i) => i.name === 'cuda');
      expect(cuda, k.name).toBeDefined();
      expect(cuda?.unavailable?.() ?? null).toBe(reason);
    }
    if (reason !== null) expect(reason).toMatch(/CUDA|cuda/);
  });
});

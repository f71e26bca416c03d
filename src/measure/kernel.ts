/**
 * The shape of one kernel of benchgate's own suite (`kernels/<name>/`): seeded fixtures with
 * a recorded checksum, implementations along the optimisation ladder, the work each call does,
 * and a correctness oracle. `kernelCases` turns a kernel into the suite's benchmark cases.
 */
import type { Work, Profile } from '../model.js';
import { withExtraMemory } from './memory.js';
import { SkipBenchmark, type BenchmarkCase, type PreparedCase } from './suite-types.js';

/** A fixed fixture: its generator parameters and the checksum its generated data must have. */
export interface FixtureSpec<P = Record<string, number>> {
  name: string;
  seed: number;
  params: P;
  /** Hex checksum of the generated data, recorded once; setup refuses data that differs. */
  checksum: string;
}

/** One rung of the ladder. `prepare` returns the call to time; setup work stays outside it. */
export interface Implementation<F, P = Record<string, number>> {
  name: string;
  /** Why this implementation cannot run here (no addon, no GPU), or null when it can. */
  unavailable?: () => string | null;
  prepare: (fixture: F, spec: FixtureSpec<P>) => PreparedCase;
}

/** Prepares an implementation and runs it once, recording the extra memory both needed. */
export async function prepareMeasured<F, P>(
  impl: Implementation<F, P>,
  data: F,
  spec: FixtureSpec<P>,
): Promise<PreparedCase> {
  let pending: unknown;
  const { value: prepared, extraBytes } = withExtraMemory(() => {
    const p = impl.prepare(data, spec);
    pending = p.run();
    return p;
  });
  // An asynchronous first call finishes outside the window; its synchronous part was counted.
  await pending;
  return { ...prepared, extraMemoryBytes: extraBytes };
}

/** A kernel: fixtures per profile, implementations, work counts and the data generator. */
export interface Kernel<F, P = Record<string, number>> {
  name: string;
  fixtures: Record<Profile, FixtureSpec<P>[]>;
  implementations: Implementation<F, P>[];
  work: (spec: FixtureSpec<P>) => Work;
  /** Generates the fixture's data from its seed. */
  generate: (spec: FixtureSpec<P>) => F;
  /** Checksum of generated data (hex), compared with `spec.checksum`. */
  checksum: (fixture: F) => string;
}

/** Lists a kernel's benchmark cases for a profile, each checking its fixture before it runs. */
export function kernelCases<F, P>(kernel: Kernel<F, P>, profile: Profile): BenchmarkCase[] {
  return kernel.fixtures[profile].flatMap((spec) =>
    kernel.implementations.map((impl) => ({
      kernel: kernel.name,
      implementation: impl.name,
      fixture: spec.name,
      fixtureChecksum: spec.checksum,
      work: kernel.work(spec),
      setup: () => {
        const reason = impl.unavailable?.() ?? null;
        if (reason !== null) throw new SkipBenchmark(reason);
        const data = kernel.generate(spec);
        const actual = kernel.checksum(data);
        if (actual !== spec.checksum) {
          throw new Error(
            `fixture ${kernel.name}/${spec.name} generated checksum ${actual}, recorded ${spec.checksum}: ` +
              'the generator changed; record the new checksum (a new benchmark) instead of comparing with the old',
          );
        }
        return prepareMeasured(impl, data, spec);
      },
    })),
  );
}

import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { criterionAdapter } from '../../../src/harness/criterion.js';
import { execShell } from '../../../src/harness/exec.js';
import { runHarnessOnce } from '../../../src/harness/run-once.js';
import { ROOT, exampleHarness, tempDir } from '../../helpers.js';

const EXAMPLE = join(ROOT, 'examples', 'criterion');
const config = exampleHarness(EXAMPLE);

/** Debian's vendored crates (librust-criterion-dev), for building without crates.io. */
const DEBIAN_REGISTRY = '/usr/share/cargo/registry';

/** The example copied to a temporary folder, with cargo set up to build it here: null and why not, when it cannot. */
function prepare(): { project: string; skip: null } | { project: null; skip: string } {
  const cargo = ['cargo', join(homedir(), '.cargo', 'bin', 'cargo')].find(
    (c) => spawnSync(c, ['--version'], { stdio: 'ignore' }).status === 0,
  );
  if (cargo === undefined) return { project: null, skip: 'cargo is not installed' };
  process.env['PATH'] = `${dirname(cargo)}${delimiter}${process.env['PATH'] ?? ''}`;
  // One target folder for every run of this test, so that criterion is compiled once per machine.
  process.env['CARGO_TARGET_DIR'] = join(tmpdir(), 'benchgate-criterion-example-target');
  const project = join(tempDir('benchgate-criterion-'), 'example');
  cpSync(EXAMPLE, project, { recursive: true });
  const debian =
    existsSync(DEBIAN_REGISTRY) && readdirSync(DEBIAN_REGISTRY).some((d) => d.startsWith('criterion-0.3.'));
  if (debian) {
    mkdirSync(join(project, '.cargo'));
    writeFileSync(
      join(project, '.cargo', 'config.toml'),
      `[source.crates-io]\nreplace-with = "debian-packages"\n\n[source.debian-packages]\ndirectory = "${DEBIAN_REGISTRY}"\n\n[net]\noffline = true\n`,
    );
  }
  const lock = spawnSync('cargo', ['generate-lockfile'], { cwd: project, encoding: 'utf8', timeout: 120_000 });
  if (lock.status !== 0)
    return {
      project: null,
      skip: `criterion could not be resolved (${debian ? "Debian's librust-criterion-dev" : 'crates.io'} unavailable offline)`,
    };
  return { project, skip: null };
}

const { project, skip } = prepare();
const title = (what: string) => (skip === null ? what : `${what} — skipped: ${skip}`);

describe('criterion (cargo bench) on examples/criterion', () => {
  it.skipIf(project === null)(
    title('runs every benchmark once and reads its median and throughput'),
    async () => {
      const cwd = project as string;
      const build = await execShell('cargo bench --bench tiny --no-run', { cwd, timeoutMs: 900_000 });
      expect(build.code, build.stderr).toBe(0);
      expect(config.harness).toBe('criterion');
      const figures = await runHarnessOnce(criterionAdapter, {
        command: config.command,
        cwd,
        only: null,
        timeoutMs: 120_000,
      });
      expect(figures.map((f) => f.name)).toEqual(['checksum/1024', 'checksum/16384', 'fib 20', 'fib/iterative/30']);
      const byName = Object.fromEntries(figures.map((f) => [f.name, f]));
      for (const f of figures) {
        expect(f.seconds).toBeGreaterThan(0);
        expect(f.seconds).toBeLessThan(1e-3);
        expect(f.samples).toBe(10);
      }
      const checksum = byName['checksum/16384'];
      expect(Object.keys(checksum?.values ?? {})).toEqual(['throughput']);
      expect(checksum?.values['throughput']).toBeCloseTo(16384 / (checksum?.seconds ?? NaN), 0);
      const fib = byName['fib/iterative/30'];
      expect(fib?.values['elements/s']).toBeCloseTo(30 / (fib?.seconds ?? NaN), 0);
      expect(byName['fib 20']?.values).toEqual({});
      // Summing 16 KiB takes longer than summing 1 KiB.
      expect(checksum?.seconds).toBeGreaterThan(byName['checksum/1024']?.seconds ?? Infinity);
      // Results went to the run's own folder, not to the project's target folder.
      expect(existsSync(join(process.env['CARGO_TARGET_DIR'] ?? '', 'criterion'))).toBe(false);
    },
    1_000_000,
  );

  it.skipIf(project === null)(
    title('runs only the benchmarks asked for, through criterion’s own filter'),
    async () => {
      const cwd = project as string;
      const only = ['fib 20', 'checksum/1024'];
      // The adapter directly, not through runHarnessOnce, which would drop any extra benchmark itself.
      const figures = await criterionAdapter.run({
        command: config.command,
        cwd,
        tempDir: tempDir(),
        only,
        exec: (commandLine, e) => execShell(commandLine, { cwd, timeoutMs: 900_000, env: e?.env }),
      });
      expect(figures.map((f) => f.name)).toEqual(['checksum/1024', 'fib 20']);
    },
    1_000_000,
  );
});

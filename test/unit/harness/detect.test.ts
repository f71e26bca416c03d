/**
 * Detection of a repository's own benchmarks: each example project in examples/ is found with the
 * entry that runs it and the lines that gave it away; small repositories written here check the
 * edges (dependency files, nested modules and projects, what is not a benchmark, skipped folders).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectHarnesses, type Detection } from '../../../src/harness/detect.js';
import { ROOT, tempDir } from '../../helpers.js';

const example = (name: string): string => join(ROOT, 'examples', name);

/** A folder holding `files` (path → text). */
function repo(files: Record<string, string>): string {
  const root = tempDir('benchgate-detect-');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/** The only detection in `root`. */
function only(root: string): Detection {
  const { found } = detectHarnesses(root);
  expect(found).toHaveLength(1);
  return found[0] as Detection;
}

const at = (d: Detection): string[] => d.evidence.map((e) => `${e.file}:${e.line}`);

describe('detectHarnesses on the examples', () => {
  it('finds the Go module and its benchmarks', () => {
    const d = only(example('go'));
    expect(d.entry).toEqual({ harness: 'go', command: 'go test -run ^$ -bench . -benchmem ./...', cwd: null });
    expect(d.toolchain).toEqual({ kind: 'go', goMod: 'go.mod' });
    expect(d.build).toBeNull();
    expect(d.evidence[0]).toEqual({ file: 'go.mod', line: 1, text: 'module example.com/benchgate-example' });
    expect(at(d)).toEqual([
      'go.mod:1',
      'checksum/checksum_test.go:8',
      'checksum/checksum_test.go:17',
      'textutil/textutil_test.go:11',
    ]);
    expect(d.evidence[1]?.text).toBe('func BenchmarkFletcher16(b *testing.B) {');
    expect(d.evidence[3]?.text).toMatch(/\(and 2 more benchmarks\)$/);
  });

  it('finds the pytest-benchmark tests, not the plain test', () => {
    const d = only(example('pytest-benchmark'));
    expect(d.entry).toEqual({ harness: 'pytest-benchmark', command: 'python3 -m pytest benchmarks -q', cwd: null });
    expect(d.toolchain).toEqual({ kind: 'python', requirements: [] });
    expect(d.evidence).toEqual([
      { file: 'benchmarks/test_kernels.py', line: 13, text: 'def test_checksum(benchmark, size):' },
      { file: 'benchmarks/test_kernels.py', line: 20, text: 'def test_sort(benchmark):' },
    ]);
    expect(d.checks.join('\n')).toMatch(/pytest-benchmark is in none of your dependency files/);
  });

  it('finds the Google Benchmark executable and its cmake build', () => {
    const d = only(example('google-benchmark'));
    expect(d.entry).toEqual({ harness: 'google-benchmark', command: './build/bench', cwd: null });
    expect(d.build).toEqual({
      command: 'cmake -S . -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build',
      byDefault: false,
    });
    expect(d.evidence).toEqual([
      { file: 'CMakeLists.txt', line: 9, text: 'find_package(benchmark REQUIRED)' },
      { file: 'CMakeLists.txt', line: 12, text: 'target_link_libraries(bench benchmark::benchmark)' },
    ]);
    expect(d.toolchain).toEqual({ kind: 'cmake' });
  });

  it('finds the criterion bench target', () => {
    const d = only(example('criterion'));
    expect(d.entry).toEqual({ harness: 'criterion', command: 'cargo bench --bench tiny', cwd: null });
    expect(d.evidence).toEqual([
      { file: 'Cargo.toml', line: 9, text: 'criterion = ">=0.3.6, <0.6"' },
      { file: 'Cargo.toml', line: 11, text: '[[bench]] name = "tiny"' },
    ]);
    expect(d.toolchain).toEqual({ kind: 'rust' });
    expect(d.checks).toEqual([]);
  });

  it('finds the vitest bench files (and none in node_modules)', () => {
    const d = only(example('vitest'));
    expect(d.entry).toEqual({ harness: 'vitest', command: 'npx vitest bench --run', cwd: null });
    expect(at(d)).toEqual(['bench/sort.bench.ts:1', 'bench/strings.bench.ts:1']);
    expect(d.build).toBeNull();
    expect(d.checks.join('\n')).toMatch(/no package-lock\.json in the repository root/);
  });
});

describe('detectHarnesses on small repositories', () => {
  it('finds nothing in an empty folder or in a project without benchmarks', () => {
    expect(detectHarnesses(repo({})).found).toEqual([]);
    const none = repo({
      'go.mod': 'module x\n',
      'x_test.go': 'package x\nfunc TestX(t *testing.T) {}\nfunc Benchmarkx(b *testing.B) {}\n',
      'requirements.txt': 'pytest-benchmark==4.0\n',
      'tests/test_a.py': 'def test_a(benchmark_data):\n    pass\n',
      'Cargo.toml': '[dependencies]\ncriterion = "0.5"\n[[bench]]\nname = "b"\nharness = false\n',
      'CMakeLists.txt': 'project(x)\nadd_executable(x x.cc)\n',
      'src/x.bench.ts': "import { bench } from 'tinybench';\n",
    });
    expect(detectHarnesses(none).found).toEqual([]);
  });

  it('reads pytest-benchmark from the dependency files and multi-line signatures', () => {
    const root = repo({
      'svc/pyproject.toml': '[project.optional-dependencies]\nbench = [\n  "pytest-benchmark>=4",\n]\n',
      'svc/requirements.txt': '# pytest-benchmark is in pyproject\nnumpy\n',
      'svc/requirements-docs.txt': 'sphinx\n',
      'svc/tests/perf/test_grid.py':
        'import pytest\n\nclass TestGrid:\n    async def test_grid(\n        self,\n        benchmark: object,\n    ):\n        pass\n',
      'svc/tests/perf/deep/grid_test.py': 'def test_deep(benchmark):\n    pass\n',
    });
    const d = only(root);
    expect(d.entry).toEqual({ harness: 'pytest-benchmark', command: 'python3 -m pytest tests/perf -q', cwd: 'svc' });
    expect(at(d)).toEqual([
      'svc/tests/perf/deep/grid_test.py:1',
      'svc/tests/perf/test_grid.py:4',
      'svc/pyproject.toml:3',
    ]);
    expect(d.toolchain).toEqual({ kind: 'python', requirements: ['svc/requirements.txt'] });
    expect(d.checks.join('\n')).not.toMatch(/none of your dependency files/);
  });

  it('gives each Go module its own entry, and a nested module is not its parent’s', () => {
    const root = repo({
      'go.mod': 'module example.com/top\n\ngo 1.22\n',
      'a/a_test.go': 'package a\n\nfunc BenchmarkA(b *testing.B) {}\nfunc Benchmark_B(b *testing.B) {}\n',
      'tools/go.mod': 'module example.com/tools\n',
      'tools/t_test.go': 'package t\nfunc Benchmark(b *testing.B) {}\n',
      'empty/go.mod': 'module example.com/empty\n',
      'empty/e_test.go': 'package e\nfunc TestE(t *testing.T) {}\n',
    });
    const { found } = detectHarnesses(root);
    expect(found.map((d) => [d.entry.cwd, d.toolchain, at(d)])).toEqual([
      [null, { kind: 'go', goMod: 'go.mod' }, ['go.mod:1', 'a/a_test.go:3', 'a/a_test.go:4']],
      ['tools', { kind: 'go', goMod: 'tools/go.mod' }, ['tools/go.mod:1', 'tools/t_test.go:2']],
    ]);
  });

  it('finds Google Benchmark executables in subdirectories of the top CMake project', () => {
    const root = repo({
      'cpp/CMakeLists.txt': 'cmake_minimum_required(VERSION 3.16)\nproject(core CXX)\nadd_subdirectory(bench)\n',
      'cpp/bench/CMakeLists.txt':
        'find_package(benchmark REQUIRED)\nadd_executable(micro micro.cc)\ntarget_link_libraries(micro PRIVATE core benchmark::benchmark_main)\n' +
        'add_executable(${PROJECT_NAME}_b b.cc)\ntarget_link_libraries(${PROJECT_NAME}_b benchmark)\n',
    });
    const d = only(root);
    expect(d.entry).toEqual({ harness: 'google-benchmark', command: './build/bench/micro', cwd: 'cpp' });
    expect(d.build?.command).toBe('cmake -S cpp -B cpp/build -DCMAKE_BUILD_TYPE=Release && cmake --build cpp/build');
    expect(at(d)).toEqual(['cpp/bench/CMakeLists.txt:1', 'cpp/bench/CMakeLists.txt:3']);
    expect(d.checks[0]).toMatch(/links \$\{PROJECT_NAME\}_b to Google Benchmark, but it is not a plain add_executable/);
  });

  it('guesses the Google Benchmark binary when no executable links it, and says so', () => {
    const d = only(repo({ 'CMakeLists.txt': 'project(x)\nfind_package(benchmark)\n' }));
    expect(d.entry.command).toBe('./build/bench');
    expect(d.checks[0]).toMatch(/no executable linking benchmark::benchmark was found/);
  });

  it('reads criterion in a dev-dependencies table and leaves out libtest benches', () => {
    const root = repo({
      'crates/core/Cargo.toml':
        '[package]\nname = "core"\n\n[dev-dependencies.criterion]\nversion = "0.5"\n\n' +
        '[[bench]]\nname = "parse"\nharness = false\n\n[[bench]]\nname = "old"\n\n[[bench]]\nname = "emit" # fast\nharness = false\n',
    });
    const d = only(root);
    expect(d.entry).toEqual({
      harness: 'criterion',
      command: 'cargo bench --bench parse --bench emit',
      cwd: 'crates/core',
    });
    expect(at(d)).toEqual(['crates/core/Cargo.toml:4', 'crates/core/Cargo.toml:7', 'crates/core/Cargo.toml:14']);
    expect(d.checks).toEqual([
      "crates/core/Cargo.toml:11: [[bench]] old is not harness = false, so not criterion's: left out",
    ]);
  });

  it('runs vitest from its package folder, installed with npm ci there', () => {
    const root = repo({
      'web/package.json': '{\n  "devDependencies": {\n    "vitest": "^4.1.0"\n  }\n}\n',
      'web/package-lock.json': '{}',
      'web/src/sort.bench.js': "bench('x', () => {});\n",
      'web/node_modules/lib/a.bench.ts': "import { bench } from 'vitest';\n",
      '.cache/b.bench.ts': "import { bench } from 'vitest';\n",
    });
    const d = only(root);
    expect(d.entry).toEqual({ harness: 'vitest', command: 'npx vitest bench --run', cwd: 'web' });
    expect(d.build).toEqual({ command: 'npm ci --prefix web', byDefault: false });
    expect(at(d)).toEqual(['web/src/sort.bench.js:1', 'web/package.json:3']);
    expect(d.checks).toEqual([]);
  });

  it('lets npm ci of a root lockfile to benchgate, and asks for a build command with another lockfile', () => {
    const npm = only(
      repo({ 'package.json': '{"devDependencies":{"vitest":"4"}}', 'package-lock.json': '{}', 'a.bench.ts': '' }),
    );
    expect(npm.build).toEqual({ command: 'npm ci', byDefault: true });
    const pnpm = only(
      repo({ 'package.json': '{"devDependencies":{"vitest":"4"}}', 'pnpm-lock.yaml': '', 'a.bench.ts': '' }),
    );
    expect(pnpm.build).toBeNull();
    expect(pnpm.checks[0]).toMatch(/pnpm's or yarn's: set `build-command`/);
  });

  it('stops listing at the file limit and says the scan was partial', () => {
    const root = repo({
      'a.txt': '',
      'b.txt': '',
      'go.mod': 'module x\n',
      'x_test.go': 'func BenchmarkX(b *testing.B) {}\n',
    });
    expect(detectHarnesses(root, 2)).toEqual({ found: [], files: 2, truncated: true });
    expect(detectHarnesses(root, 4)).toMatchObject({ files: 4, truncated: false });
  });
});

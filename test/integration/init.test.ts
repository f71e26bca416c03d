/**
 * `benchgate init` as a user runs it (the built CLI; `npm run build:ts` first): on a copy of each
 * example project it writes a config that benchgate's own parser reads back naming the right
 * harness, and workflows that pass the repository's workflow lint; it never overwrites without
 * `--force`, and a repository with no benchmarks is exit 2 saying what it looked for. docs/action.md
 * shows exactly what it writes for each example.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/schema.js';
import { ROOT, runCli, tempDir } from '../helpers.js';

const FILES = ['benchgate.config.json', '.github/workflows/benchgate.yml', '.github/workflows/benchgate-comment.yml'];

/** A copy of examples/`name` without its own config or anything installed or built. */
function copyOf(name: string, into = tempDir('benchgate-init-')): string {
  cpSync(join(ROOT, 'examples', name), into, {
    recursive: true,
    filter: (src) => !['node_modules', 'build', 'target', 'benchgate.config.json'].includes(basename(src)),
  });
  return into;
}

function lintWorkflows(root: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(ROOT, 'scripts', 'lint-workflows.mjs'), root], (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, output: stdout + stderr }),
    );
  });
}

const configIn = (root: string) =>
  parseConfigText(readFileSync(join(root, 'benchgate.config.json'), 'utf8'), 'benchgate.config.json');

describe('benchgate init', () => {
  it.each([
    ['go', 'go', 'go test -run ^$ -bench . -benchmem ./...', undefined, 'actions/setup-go@v5'],
    ['pytest-benchmark', 'pytest-benchmark', 'python3 -m pytest benchmarks -q', undefined, 'actions/setup-python@v5'],
    [
      'google-benchmark',
      'google-benchmark',
      './build/bench',
      'cmake -S . -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build',
      'libbenchmark-dev',
    ],
    ['criterion', 'criterion', 'cargo bench --bench tiny', undefined, 'dtolnay/rust-toolchain@stable'],
    ['vitest', 'vitest', 'npx vitest bench --run', undefined, 'actions/setup-node@v4'],
  ])(
    'examples/%s: writes a config naming the %s harness and the workflows',
    async (example, harness, cmd, build, setup) => {
      const root = copyOf(example);
      const r = await runCli(['init'], { cwd: root });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^found 1 harness:\\n  ${harness}: `));
      expect(r.stdout).toContain(`wrote ${FILES.join(', ')}`);
      const config = configIn(root);
      expect(config.harnesses).toEqual([{ harness, command: cmd, cwd: null, name: null, runs: null, warmup: null }]);
      expect(config.buildCommand).toBe(build);
      const gate = readFileSync(join(root, '.github/workflows/benchgate.yml'), 'utf8');
      expect(gate).toContain(setup);
      expect(gate).toContain('uses: benchgate/benchgate@v1');
      // docs/action.md's "Your language" shows exactly what init writes.
      const docs = readFileSync(join(ROOT, 'docs', 'action.md'), 'utf8');
      const written = (path: string) => readFileSync(join(root, path), 'utf8');
      expect(docs).toContain(`\`\`\`json\n${written('benchgate.config.json')}\`\`\``);
      expect(docs).toContain(`\`\`\`yaml\n${gate}\`\`\``);
      expect(docs).toContain(`\`\`\`yaml\n${written('.github/workflows/benchgate-comment.yml')}\`\`\``);
    },
  );

  it('writes one entry per project of a repository with all five, and workflows the lint passes', async () => {
    const root = tempDir('benchgate-init-all-');
    for (const example of ['go', 'pytest-benchmark', 'google-benchmark', 'criterion', 'vitest'])
      copyOf(example, join(root, example));
    writeFileSync(join(root, 'package.json'), '{"private": true}\n');
    writeFileSync(join(root, 'package-lock.json'), '{"lockfileVersion": 3}\n');
    const r = await runCli(['init', '--main-branch', 'trunk'], { cwd: root });
    expect(r.code).toBe(0);
    const config = configIn(root);
    expect(config.harnesses?.map((h) => [h.harness, h.cwd])).toEqual([
      ['pytest-benchmark', 'pytest-benchmark'],
      ['go', 'go'],
      ['google-benchmark', 'google-benchmark'],
      ['criterion', 'criterion'],
      ['vitest', 'vitest'],
    ]);
    expect(config.buildCommand).toBe(
      'cmake -S google-benchmark -B google-benchmark/build -DCMAKE_BUILD_TYPE=Release && cmake --build google-benchmark/build',
    );
    const gate = readFileSync(join(root, '.github/workflows/benchgate.yml'), 'utf8');
    expect(gate).toContain('branches: [trunk]');
    for (const step of [
      'setup-python',
      'go-version-file: go/go.mod',
      'libbenchmark-dev',
      'rust-toolchain',
      'setup-node',
    ])
      expect(gate.split(step)).toHaveLength(3); // in the gate job and in the history job
    const lint = await lintWorkflows(root);
    expect(lint.output).toBe('lint-workflows: 2 files, no findings\n');
    expect(lint.code).toBe(0);
  });

  it('never overwrites a file without --force, and names the file', async () => {
    const root = copyOf('go');
    expect((await runCli(['init'], { cwd: root })).code).toBe(0);
    rmSync(join(root, '.github'), { recursive: true });
    writeFileSync(join(root, 'benchgate.config.json'), '{"threshold": "3%"}\n');
    const refused = await runCli(['init'], { cwd: root });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe('benchgate: benchgate.config.json already exists: --force overwrites\n');
    expect(readFileSync(join(root, 'benchgate.config.json'), 'utf8')).toBe('{"threshold": "3%"}\n');
    expect(existsSync(join(root, '.github'))).toBe(false);
    const forced = await runCli(['init', '--force'], { cwd: root });
    expect(forced.code).toBe(0);
    expect(configIn(root).harnesses?.[0]?.harness).toBe('go');
    for (const f of FILES) expect(existsSync(join(root, f))).toBe(true);
  });

  it('stops with exit 2 and what it looked for in a repository without benchmarks', async () => {
    const root = tempDir('benchgate-init-empty-');
    writeFileSync(join(root, 'README.md'), '# nothing to measure\n');
    const r = await runCli(['init'], { cwd: root });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`benchgate: no benchmarks found in ${root}. Looked for:\n`);
    for (const tool of ['pytest-benchmark:', 'Go:', 'Google Benchmark:', 'criterion:', 'vitest:'])
      expect(r.stderr).toContain(`\n  - ${tool}`);
    expect(existsSync(join(root, 'benchgate.config.json'))).toBe(false);
  });

  it('refuses a --main-branch that cannot stand in a workflow', async () => {
    const r = await runCli(['init', '--main-branch', 'main]\non: push'], { cwd: copyOf('go') });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/'--main-branch' must be a plain branch name like main/);
  });
});

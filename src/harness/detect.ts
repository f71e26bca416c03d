/**
 * Finds the benchmarks a repository already has, for `benchgate init`: pytest-benchmark, Go,
 * Google Benchmark, criterion and vitest, each with the evidence (file and line) that gave it away
 * and the harness entry that runs it. Reads files only; writes nothing.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { HarnessKind } from '../config/harnesses.js';
import { shellQuote } from './adapter.js';

/** A line that shows why a harness was detected. */
export interface Evidence {
  /** Path relative to the scanned folder, with `/` separators. */
  file: string;
  line: number;
  text: string;
}

/** What a CI job must install before the harness can run. */
export type Toolchain =
  | { kind: 'python'; requirements: string[] }
  | { kind: 'go'; goMod: string }
  | { kind: 'cmake' }
  | { kind: 'rust' }
  | { kind: 'node' };

/** A build step a harness needs; `byDefault` when benchgate already runs it without a build command. */
export interface BuildStep {
  command: string;
  byDefault: boolean;
}

/** One detected set of benchmarks and how to run it. */
export interface Detection {
  entry: { harness: HarnessKind; command: string; cwd: string | null };
  evidence: Evidence[];
  toolchain: Toolchain;
  build: BuildStep | null;
  /** What the user should check before relying on the entry. */
  checks: string[];
}

/** Everything found in one folder. */
export interface DetectResult {
  found: Detection[];
  /** Files looked at; the walk stops at {@link MAX_FILES}. */
  files: number;
  truncated: boolean;
}

/** What detection looks for, for the message when it finds nothing. */
export const LOOKED_FOR = [
  'pytest-benchmark: test_*.py / *_test.py functions taking the `benchmark` fixture (and pytest-benchmark in requirements*.txt, pyproject.toml or setup.cfg)',
  'Go: go.mod and `func BenchmarkX(b *testing.B)` in *_test.go',
  'Google Benchmark: CMakeLists.txt with find_package(benchmark) or benchmark::benchmark, and the executable that links it',
  'criterion: Cargo.toml with criterion in [dev-dependencies] and [[bench]] entries with harness = false',
  'vitest: *.bench.ts / *.bench.js files, and vitest in package.json or imported by them',
];

/** Most files listed; a repository larger than this is scanned in part (and says so). */
export const MAX_FILES = 50_000;

/** Deepest folder visited below the root. */
const MAX_DEPTH = 12;

/** Largest file read; a source or manifest file above it is skipped. */
const MAX_FILE_BYTES = 1024 * 1024;

/** Evidence lines kept per kind of evidence. */
const MAX_EVIDENCE = 3;

/** Folders that hold dependencies, build outputs or data, never a project's own benchmarks. */
const SKIPPED_FOLDERS = new Set([
  'node_modules',
  'target',
  'build',
  'dist',
  'vendor',
  'third_party',
  'testdata',
  '__pycache__',
  'venv',
  'site-packages',
]);

/** Finds the benchmarks under `root` (the repository root), looking at `maxFiles` files at most. */
export function detectHarnesses(root: string, maxFiles = MAX_FILES): DetectResult {
  const { files, truncated } = listFiles(root, maxFiles);
  const repo = new Repo(root, files);
  const found = [
    ...detectPytest(repo),
    ...detectGo(repo),
    ...detectGoogleBenchmark(repo),
    ...detectCriterion(repo),
    ...detectVitest(repo),
  ];
  return { found, files: files.length, truncated };
}

function listFiles(root: string, maxFiles: number): { files: string[]; truncated: boolean } {
  const files: string[] = [];
  const walk = (rel: string, depth: number): boolean => {
    let entries;
    try {
      entries = readdirSync(join(root, rel), { withFileTypes: true });
    } catch {
      return true;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const path = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isFile()) {
        if (files.length >= maxFiles) return false;
        files.push(path);
      } else if (e.isDirectory() && depth < MAX_DEPTH && !e.name.startsWith('.') && !SKIPPED_FOLDERS.has(e.name)) {
        if (!walk(path, depth + 1)) return false;
      }
    }
    return true;
  };
  const complete = walk('', 0);
  return { files, truncated: !complete };
}

/** A match in a file, at a character index. */
interface Hit {
  file: string;
  index: number;
}

/** The listed files of a repository, read when asked. */
class Repo {
  private readonly fileSet: Set<string>;
  private readonly folders = new Map<string, string[]>();

  constructor(
    readonly root: string,
    readonly files: string[],
  ) {
    this.fileSet = new Set(files);
    for (const f of files) {
      const names = this.folders.get(dirOf(f));
      if (names) names.push(baseOf(f));
      else this.folders.set(dirOf(f), [baseOf(f)]);
    }
  }

  has(path: string): boolean {
    return this.fileSet.has(path);
  }

  /** Whether the folder `dir` holds a file whose name matches `name`. */
  holds(dir: string, name: RegExp): boolean {
    return (this.folders.get(dir) ?? []).some((n) => name.test(n));
  }

  /** The file's text, or null when it is too large or unreadable (read each time: most are read once). */
  text(path: string): string | null {
    try {
      const full = join(this.root, path);
      return statSync(full).size <= MAX_FILE_BYTES ? readFileSync(full, 'utf8') : null;
    } catch {
      return null;
    }
  }

  /** Where `re` (global) matches in `path`: the index of each match. */
  matches(path: string, re: RegExp): Hit[] {
    const text = this.text(path);
    return text === null ? [] : [...text.matchAll(re)].map((m) => ({ file: path, index: m.index }));
  }

  /** The line of each hit, the first {@link MAX_EVIDENCE} of them; the last counts the others. */
  evidence(hits: Hit[], what: string): Evidence[] {
    const shown = hits.slice(0, MAX_EVIDENCE).map((h) => evidenceAt(h.file, this.text(h.file) ?? '', h.index));
    const last = shown.at(-1);
    if (last && hits.length > shown.length)
      shown[shown.length - 1] = { ...last, text: `${last.text}  (and ${hits.length - shown.length} more ${what})` };
    return shown;
  }

  /** Every line of `path` matching `re` (global), as evidence, the first `limit` of them. */
  lines(path: string, re: RegExp, limit = MAX_EVIDENCE): Evidence[] {
    const text = this.text(path);
    if (text === null) return [];
    const out: Evidence[] = [];
    for (const m of text.matchAll(re)) {
      out.push(evidenceAt(path, text, m.index));
      if (out.length >= limit) break;
    }
    return out;
  }
}

function evidenceAt(file: string, text: string, index: number): Evidence {
  const line = text.slice(0, index).split('\n').length;
  const start = text.lastIndexOf('\n', index - 1) + 1;
  const end = text.indexOf('\n', index);
  const whole = text.slice(start, end === -1 ? undefined : end).trim();
  return { file, line, text: whole.length > 120 ? `${whole.slice(0, 117)}...` : whole };
}

const dirOf = (path: string): string => {
  const d = posix.dirname(path);
  return d === '.' ? '' : d;
};

const baseOf = (path: string): string => posix.basename(path);

/** `path` inside `dir` ('' = the root). */
const within = (dir: string, path: string): boolean => dir === '' || path.startsWith(`${dir}/`);

/** `path` relative to `dir`, '' for `dir` itself. */
const relativeTo = (dir: string, path: string): string => (dir === '' ? path : path.slice(dir.length + 1));

/** The folders from `dir` up to the root, nearest first. */
function ancestors(dir: string): string[] {
  const out = [dir];
  for (let d = dir; d !== '';) out.push((d = dirOf(d)));
  return out;
}

/** The deepest folder holding every path in `dirs`. */
function commonFolder(dirs: string[]): string {
  let common = dirs[0] ?? '';
  for (const d of dirs) while (!within(common, d) && d !== common) common = dirOf(common);
  return common;
}

/** Groups `items` by a key, in the order each key first appears. */
function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

const cwdOf = (dir: string): string | null => (dir === '' ? null : dir);

// --- pytest-benchmark ---------------------------------------------------------------------------

const PYTEST_TEST_FILE = /^(test_.*|.*_test)\.py$/;
const PYTHON_DEPENDENCY_FILE = /^(requirements[\w.-]*\.txt|pyproject\.toml|setup\.cfg)$/;
const PYTHON_PROJECT_FILE = /^(pytest\.ini|pyproject\.toml|setup\.cfg|tox\.ini|setup\.py|requirements[\w.-]*\.txt)$/;
/** A test function's signature; its parameters are checked for the `benchmark` fixture. */
const PYTEST_TEST_FUNCTION = /^[ \t]*(?:async[ \t]+)?def[ \t]+test\w*[ \t]*\(([^)]*)\)/gm;
const PYTEST_BENCHMARK_DEPENDENCY = /^[^#\n]*\bpytest[-_]benchmark\b/gim;

function detectPytest(repo: Repo): Detection[] {
  const uses = repo.files
    .filter((f) => PYTEST_TEST_FILE.test(baseOf(f)))
    .map((file) => {
      const hits = [...(repo.text(file) ?? '').matchAll(PYTEST_TEST_FUNCTION)].filter((m) =>
        /\bbenchmark\b/.test(m[1] ?? ''),
      );
      return { file, hits: hits.map((m) => ({ file, index: m.index })) };
    })
    .filter((u) => u.hits.length > 0);
  const projectOf = (file: string): string =>
    ancestors(dirOf(file)).find((d) => repo.holds(d, PYTHON_PROJECT_FILE)) ?? '';
  return [...groupBy(uses, (u) => projectOf(u.file))].map(([project, group]) => {
    const tests = group.flatMap((u) => u.hits);
    const testDir = relativeTo(project, commonFolder(group.map((u) => dirOf(u.file))));
    const dependencyFiles = repo.files.filter(
      (f) => PYTHON_DEPENDENCY_FILE.test(baseOf(f)) && ancestors(project).includes(dirOf(f)),
    );
    const declared = dependencyFiles.flatMap((f) => repo.lines(f, PYTEST_BENCHMARK_DEPENDENCY, 1));
    const requirements = dependencyFiles.filter(
      (f) =>
        baseOf(f).startsWith('requirements') &&
        (baseOf(f) === 'requirements.txt' || declared.some((e) => e.file === f)),
    );
    const checks = [
      'the benchmarks must import your code from the checkout (e.g. `pythonpath = src` in the pytest config), not from an installed copy: benchgate measures two checkouts side by side',
    ];
    if (declared.length === 0)
      checks.push(
        'pytest-benchmark is in none of your dependency files: the workflow installs it with pip, add it to your requirements to pin its version',
      );
    if (requirements.length === 0)
      checks.push('no requirements.txt found: install what the benchmarks import in the workflow');
    return {
      entry: {
        harness: 'pytest-benchmark' as const,
        command: `python3 -m pytest${testDir === '' ? '' : ` ${shellQuote(testDir)}`} -q`,
        cwd: cwdOf(project),
      },
      evidence: [...repo.evidence(tests, 'benchmark tests'), ...declared],
      toolchain: { kind: 'python' as const, requirements },
      build: null,
      checks,
    };
  });
}

// --- Go -----------------------------------------------------------------------------------------

const GO_BENCHMARK = /^func[ \t]+Benchmark(?![a-z])\w*[ \t]*\([ \t]*\w+[ \t]+\*testing\.B[ \t]*\)/gm;

function detectGo(repo: Repo): Detection[] {
  const modules = repo.files.filter((f) => baseOf(f) === 'go.mod').map(dirOf);
  const moduleOf = (file: string): string | undefined => ancestors(dirOf(file)).find((d) => modules.includes(d));
  return modules.flatMap((module) => {
    const benchmarks = repo.files
      .filter((f) => f.endsWith('_test.go') && moduleOf(f) === module)
      .flatMap((f) => repo.matches(f, GO_BENCHMARK));
    if (benchmarks.length === 0) return [];
    const goMod = module === '' ? 'go.mod' : `${module}/go.mod`;
    return [
      {
        entry: { harness: 'go' as const, command: 'go test -run ^$ -bench . -benchmem ./...', cwd: cwdOf(module) },
        evidence: [...repo.lines(goMod, /^module\b.*/gm, 1), ...repo.evidence(benchmarks, 'benchmarks')],
        toolchain: { kind: 'go' as const, goMod },
        build: null,
        checks: [],
      },
    ];
  });
}

// --- Google Benchmark ---------------------------------------------------------------------------

const CMAKE_USES_BENCHMARK = /find_package\s*\(\s*benchmark\b|benchmark::benchmark(?:_main)?\b/g;
const CMAKE_LINK = /target_link_libraries\s*\(\s*([^\s()]+)([^)]*)\)/g;
const CMAKE_LINKS_BENCHMARK = /(?:^|[\s"])(?:benchmark::)?benchmark(?:_main)?(?=[\s")]|$)/;
const CMAKE_TARGET_NAME = /^[\w.+-]+$/;

function detectGoogleBenchmark(repo: Repo): Detection[] {
  const cmakeFiles = repo.files.filter((f) => baseOf(f) === 'CMakeLists.txt');
  const using = cmakeFiles.filter((f) => repo.lines(f, CMAKE_USES_BENCHMARK, 1).length > 0);
  /** The top-level CMake project above a file: the highest folder whose CMakeLists.txt has `project(`. */
  const topOf = (file: string): string =>
    ancestors(dirOf(file))
      .filter((d) => /\bproject\s*\(/i.test(repo.text(d === '' ? 'CMakeLists.txt' : `${d}/CMakeLists.txt`) ?? ''))
      .at(-1) ?? dirOf(file);
  return [...groupBy(using, topOf)].flatMap(([top, files]) => {
    const checks: string[] = [];
    const binaries: string[] = [];
    const evidence: Evidence[] = files.flatMap((f) => repo.lines(f, CMAKE_USES_BENCHMARK, 1));
    for (const file of files) {
      const text = repo.text(file) ?? '';
      for (const m of text.matchAll(CMAKE_LINK)) {
        const target = m[1] ?? '';
        if (!CMAKE_LINKS_BENCHMARK.test(m[2] ?? '')) continue;
        const executable = new RegExp(`add_executable\\s*\\(\\s*${escapeRegExp(target)}[\\s)]`).test(text);
        if (!CMAKE_TARGET_NAME.test(target) || !executable) {
          checks.push(
            `${file} links ${target} to Google Benchmark, but it is not a plain add_executable target here: add its binary yourself`,
          );
          continue;
        }
        const sub = relativeTo(top, dirOf(file));
        binaries.push(`./build/${sub === '' ? '' : `${sub}/`}${target}`);
        evidence.push(evidenceAt(file, text, m.index));
      }
    }
    if (binaries.length === 0) {
      binaries.push('./build/bench');
      checks.push(
        'no executable linking benchmark::benchmark was found: set `command` to your benchmark binary (it is a guess: ./build/bench)',
      );
    }
    const buildDir = top === '' ? 'build' : `${top}/build`;
    checks.push(
      `the build command configures a Release build in ${buildDir}/ with the system's Google Benchmark (apt-get install libbenchmark-dev); adjust it if you fetch the library yourself`,
    );
    return binaries.map((binary, i) => ({
      entry: { harness: 'google-benchmark' as const, command: shellQuote(binary), cwd: cwdOf(top) },
      evidence,
      toolchain: { kind: 'cmake' as const },
      build: {
        command: `cmake -S ${shellQuote(top === '' ? '.' : top)} -B ${shellQuote(buildDir)} -DCMAKE_BUILD_TYPE=Release && cmake --build ${shellQuote(buildDir)}`,
        byDefault: false,
      },
      checks: i === 0 ? checks : [],
    }));
  });
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// --- criterion ----------------------------------------------------------------------------------

interface CargoFacts {
  criterion: Evidence | null;
  benches: { name: string; evidence: Evidence; harnessFalse: boolean }[];
}

/** Reads what matters from a Cargo.toml line by line: the criterion dev-dependency and the `[[bench]]` tables. */
function cargoFacts(file: string, text: string): CargoFacts {
  const facts: CargoFacts = { criterion: null, benches: [] };
  let section = '';
  let bench: CargoFacts['benches'][number] | null = null;
  let offset = 0;
  for (const line of text.split('\n')) {
    const at = offset;
    offset += line.length + 1;
    const code = line.replace(/#.*/, '').trim();
    const header = /^\[\[?\s*([^\]]+?)\s*\]\]?$/.exec(code);
    if (header) {
      section = code.startsWith('[[') ? `[[${header[1]}]]` : (header[1] ?? '');
      bench = null;
      if (section === '[[bench]]')
        facts.benches.push((bench = { name: '', evidence: evidenceAt(file, text, at), harnessFalse: false }));
      if (/(^|\.)dev-dependencies\.criterion$/.test(section)) facts.criterion ??= evidenceAt(file, text, at);
      continue;
    }
    if (/(^|\.)dev-dependencies$/.test(section) && /^criterion\s*[=.]/.test(code))
      facts.criterion ??= evidenceAt(file, text, at);
    if (bench) {
      const name = /^name\s*=\s*["']([^"']+)["']$/.exec(code);
      if (name) bench.name = name[1] ?? '';
      if (/^harness\s*=\s*false$/.test(code)) bench.harnessFalse = true;
    }
  }
  return facts;
}

function detectCriterion(repo: Repo): Detection[] {
  return repo.files
    .filter((f) => baseOf(f) === 'Cargo.toml')
    .flatMap((file) => {
      const facts = cargoFacts(file, repo.text(file) ?? '');
      const benches = facts.benches.filter((b) => b.harnessFalse && b.name !== '');
      if (facts.criterion === null || benches.length === 0) return [];
      const skipped = facts.benches.filter((b) => !b.harnessFalse);
      const crate = dirOf(file);
      return [
        {
          entry: {
            harness: 'criterion' as const,
            command: `cargo bench ${benches.map((b) => `--bench ${shellQuote(b.name)}`).join(' ')}`,
            cwd: cwdOf(crate),
          },
          evidence: [facts.criterion, ...benches.map((b) => ({ ...b.evidence, text: `[[bench]] name = "${b.name}"` }))],
          toolchain: { kind: 'rust' as const },
          build: null,
          checks: skipped.map(
            (b) =>
              `${file}:${b.evidence.line}: [[bench]] ${b.name || '(unnamed)'} is not harness = false, so not criterion's: left out`,
          ),
        },
      ];
    });
}

// --- vitest -------------------------------------------------------------------------------------

const VITEST_BENCH_FILE = /\.bench\.[cm]?[jt]sx?$/;
/** A file that marks a JavaScript project's folder: vitest runs from there. */
const VITEST_PROJECT_FILE = /^(package\.json|(vitest|vite)\.config\.[cm]?[jt]s)$/;
const VITEST_IMPORT = /\bfrom\s*['"]vitest['"]|\brequire\(\s*['"]vitest['"]\s*\)/g;
const VITEST_DEPENDENCY = /"vitest"\s*:/g;

function detectVitest(repo: Repo): Detection[] {
  const benchFiles = repo.files.filter((f) => VITEST_BENCH_FILE.test(baseOf(f)));
  const projectOf = (file: string): string =>
    ancestors(dirOf(file)).find((d) => repo.holds(d, VITEST_PROJECT_FILE)) ?? '';
  return [...groupBy(benchFiles, projectOf)].flatMap(([project, files]) => {
    const packageJson = project === '' ? 'package.json' : `${project}/package.json`;
    const imports = files.flatMap((f) => repo.matches(f, VITEST_IMPORT).slice(0, 1));
    const declared = repo.has(packageJson) ? repo.lines(packageJson, VITEST_DEPENDENCY, 1) : [];
    if (imports.length === 0 && declared.length === 0) return [];
    const lockfile = (name: string): boolean => repo.has(project === '' ? name : `${project}/${name}`);
    const checks: string[] = [];
    let build: BuildStep | null = null;
    if (lockfile('package-lock.json'))
      build =
        project === ''
          ? { command: 'npm ci', byDefault: true }
          : { command: `npm ci --prefix ${shellQuote(project)}`, byDefault: false };
    else if (lockfile('pnpm-lock.yaml') || lockfile('yarn.lock'))
      checks.push(
        'your lockfile is pnpm\'s or yarn\'s: set `build-command` to install with it (e.g. "pnpm install --frozen-lockfile")',
      );
    else
      checks.push(
        `no package-lock.json in ${project || 'the repository root'}: set \`build-command\` to install vitest`,
      );
    if (declared.length === 0)
      checks.push(
        `vitest is not in ${repo.has(packageJson) ? packageJson : 'a package.json'}: add it to devDependencies`,
      );
    // Each bench file by its vitest import, or by its first line when vitest comes from package.json.
    const evidence = repo.evidence(
      files.map((file) => imports.find((h) => h.file === file) ?? { file, index: 0 }),
      'bench files',
    );
    return [
      {
        entry: { harness: 'vitest' as const, command: 'npx vitest bench --run', cwd: cwdOf(project) },
        evidence: [...evidence, ...declared],
        toolchain: { kind: 'node' as const },
        build,
        checks,
      },
    ];
  });
}

// Builds the native addons. The CPU addon (native/binding.gyp) is required; the CUDA addon
// (native/cuda/binding.gyp + native/src/cuda/*.cu) is built only where nvcc exists, so `npm ci`
// succeeds on machines without CUDA. Output is kept to a line per addon unless a step fails.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const nativeDir = join(root, 'native');
const cudaDir = join(nativeDir, 'cuda');

/** Runs a command quietly; on failure prints its output and returns false. */
function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', shell: process.platform === 'win32' });
  if (r.status === 0) return true;
  process.stderr.write(`${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}\n`);
  process.stderr.write(`benchgate: failed: ${cmd} ${args.join(' ')} (in ${cwd})\n`);
  return false;
}

/** Finds an executable on PATH. */
function which(name) {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return null;
}

// npm puts its bundled node-gyp on PATH for scripts; run directly, fall back to npm's copy.
function nodeGyp() {
  if (which('node-gyp')) return { cmd: 'node-gyp', pre: [] };
  const bundled = join(
    dirname(process.execPath),
    '..',
    'lib',
    'node_modules',
    'npm',
    'node_modules',
    'node-gyp',
    'bin',
    'node-gyp.js',
  );
  return { cmd: process.execPath, pre: [bundled] };
}

// CUDA_HOME / CUDA_PATH when set; otherwise the toolkit nvcc belongs to, or the usual prefix.
function cudaHome(nvcc) {
  for (const v of [process.env.CUDA_HOME, process.env.CUDA_PATH]) if (v && existsSync(v)) return v;
  const beside = dirname(dirname(realpathSync(nvcc)));
  if (existsSync(join(beside, 'lib64', 'libcudart_static.a'))) return beside;
  return '/usr/local/cuda';
}

// Build against the running Node's own headers when it ships them, so node-gyp never tries to
// download headers (this machine is offline); npm-run builds already do this.
const prefix = join(dirname(process.execPath), '..');
const nodedir = existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? [`--nodedir=${prefix}`] : [];
const gyp = nodeGyp();
const gypRun = (args, cwd) => run(gyp.cmd, [...gyp.pre, '--loglevel=error', ...nodedir, ...args], cwd);

if (existsSync(join(nativeDir, 'binding.gyp'))) {
  if (!gypRun(['rebuild'], nativeDir)) process.exit(1);
  console.log('benchgate: built native/build/Release/benchgate_native.node');
}

const nvcc = which('nvcc');
if (!existsSync(join(cudaDir, 'binding.gyp'))) {
  // nothing to build
} else if (nvcc === null) {
  console.log('benchgate: nvcc not found, CUDA addon not built (CUDA benchmarks will be skipped)');
} else {
  const home = cudaHome(nvcc);
  const objDir = join(cudaDir, 'build', 'nvcc');
  const srcDir = join(nativeDir, 'src', 'cuda');
  // Machine code for Turing (sm_75, the oldest CUDA 13 supports), Ampere and Hopper, plus PTX that
  // newer GPUs JIT-compile.
  const arch = ['75', '80', '90'].flatMap((sm) => ['-gencode', `arch=compute_${sm},code=sm_${sm}`]);
  arch.push('-gencode', 'arch=compute_90,code=compute_90');
  const ok =
    gypRun(['clean'], cudaDir) &&
    (mkdirSync(objDir, { recursive: true }), true) &&
    readdirSync(srcDir)
      .filter((f) => f.endsWith('.cu'))
      .every((f) =>
        run(
          nvcc,
          [
            '-O3',
            '-std=c++17',
            '-Xcompiler',
            '-fPIC',
            ...arch,
            '-I',
            join(nativeDir, 'src'),
            '-c',
            join(srcDir, f),
            '-o',
            join(objDir, f.replace(/\.cu$/, '.o')),
          ],
          cudaDir,
        ),
      );
  const objects = ok
    ? readdirSync(objDir)
        .filter((f) => f.endsWith('.o'))
        .map((f) => join(objDir, f))
    : [];
  if (
    ok &&
    gypRun(['configure', '--', `-Dcuda_home=${home}`, `-Dcuda_objects=${objects.join(' ')}`], cudaDir) &&
    gypRun(['build'], cudaDir)
  ) {
    console.log(`benchgate: built native/cuda/build/Release/benchgate_cuda.node (CUDA at ${home})`);
  } else {
    // The CUDA addon is optional: the build goes on and CUDA benchmarks report why they skip.
    console.log('benchgate: CUDA addon build failed (see above); CUDA benchmarks will be skipped');
  }
}

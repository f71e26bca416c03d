/**
 * Runs a harness's shell command in a revision's checkout: `sh -c`, the job's credentials kept
 * out of its environment (../child-env.ts), a timeout that kills its whole process group, and its
 * output kept up to a cap so that a chatty or hostile benchmark cannot exhaust memory.
 */
import { spawn } from 'node:child_process';
import { childEnv } from '../child-env.js';
import type { Executed } from './adapter.js';

/** Most bytes of each of stdout and stderr kept (the head is kept: parsers read from the start). */
export const OUTPUT_CAP_BYTES = 64 * 1024 * 1024;

/** Runs `commandLine` with `sh -c` in `cwd`. */
export function execShell(
  commandLine: string,
  o: { cwd: string; timeoutMs: number; env?: Record<string, string> },
): Promise<Executed> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn('sh', ['-c', commandLine], {
      cwd: o.cwd,
      env: { ...childEnv(), ...o.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    let killed: string | null = null;
    child.stdout.on('data', (d: Buffer) => {
      if (outBytes < OUTPUT_CAP_BYTES) out.push(d);
      outBytes += d.length;
    });
    child.stderr.on('data', (d: Buffer) => {
      if (errBytes < OUTPUT_CAP_BYTES) err.push(d);
      errBytes += d.length;
    });
    const killGroup = () => {
      try {
        process.kill(-(child.pid as number), 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const timer = setTimeout(() => {
      killed = `timed out after ${Math.round(o.timeoutMs / 1000)} s`;
      killGroup();
    }, o.timeoutMs);
    child.on('error', (e) => {
      killed = `could not start: ${e.message}`;
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        code: killed === null && signal === null ? code : null,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        seconds: (performance.now() - started) / 1000,
        killed: killed ?? (signal === null ? null : `killed by ${signal}`),
      });
    });
  });
}

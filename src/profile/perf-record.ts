/**
 * Linux `perf record` around a profiling process, for the native code V8's CPU profiler sees as
 * one frame: the process runs under `perf record` with its events disabled, and turns them on and
 * off itself around the profiled calls through perf's control FIFOs (`--control fifo:ctl,ack`), so
 * perf samples exactly the calls V8 profiles. Stacks are copied per sample (`--call-graph dwarf`)
 * so that time in a library an addon calls (libm, libc) is found under the addon's function.
 */
import { execFile } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** perf's sampling frequency, per second of CPU time of each thread. */
export const PERF_FREQUENCY_HZ = 2000;
/** Bytes of stack copied per sample: enough for the addon's frames above a library call. */
export const PERF_STACK_BYTES = 4096;
/** The perf executable. */
export const PERF = 'perf';

/** One perf recording: its data file and the control FIFOs the profiled process toggles it by. */
export interface PerfRecording {
  /** A private temporary folder holding all three; removed by {@link removeRecording}. */
  dir: string;
  data: string;
  ctl: string;
  ack: string;
}

/** Runs a command; its stdout, or rejects with its stderr's last line. */
export function runTool(cmd: string, args: string[], timeoutMs: number, input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      cmd,
      args,
      { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: Math.max(1, timeoutMs), killSignal: 'SIGKILL' },
      (e, stdout, stderr) => {
        if (e === null) return resolve(stdout);
        const said = stderr.trim().split('\n').at(-1) ?? '';
        reject(new Error(`${cmd} ${args[0] ?? ''} failed: ${said || e.message}`.slice(0, 500)));
      },
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** A fresh recording's folder and FIFOs. */
export async function newRecording(): Promise<PerfRecording> {
  const dir = mkdtempSync(join(tmpdir(), 'benchgate-perf-'));
  const rec = { dir, data: join(dir, 'perf.data'), ctl: join(dir, 'ctl'), ack: join(dir, 'ack') };
  await runTool('mkfifo', ['-m', '600', rec.ctl, rec.ack], 10_000);
  return rec;
}

/** Removes a recording's folder. */
export function removeRecording(rec: PerfRecording): void {
  rmSync(rec.dir, { recursive: true, force: true });
}

/** `perf record`'s sampling: CPU time, {@link PERF_FREQUENCY_HZ}, stacks copied for DWARF unwinding, into `data`. */
const sampling = (data: string): string[] => [
  'record',
  '--quiet',
  '--no-buildid-cache',
  '--event=cpu-clock',
  `--freq=${PERF_FREQUENCY_HZ}`,
  `--call-graph=dwarf,${PERF_STACK_BYTES}`,
  `--output=${data}`,
];

/** `perf record`'s arguments that run `command` with events off until the process enables them. */
export function perfRecordArgs(rec: PerfRecording, command: string[]): string[] {
  return [...sampling(rec.data), '--delay=-1', `--control=fifo:${rec.ctl},${rec.ack}`, '--', ...command];
}

/** `perf record`'s arguments that sample `command` and its children from start to end (a harness's benchmark run). */
export function perfRecordWholeArgs(data: string, command: string[]): string[] {
  return [...sampling(data), '--', ...command];
}

let probed: Promise<string | null> | null = null;

/**
 * Why perf cannot record here (not installed, `perf_event_paranoid` or the container forbids
 * `perf_event_open`, no control FIFOs in this perf), or null when it can. Probed once per process
 * by recording `true` as a profiling process is recorded.
 */
export function perfUnavailable(): Promise<string | null> {
  probed ??= (async () => {
    let rec: PerfRecording | null = null;
    try {
      rec = await newRecording();
      await runTool(PERF, perfRecordArgs(rec, ['true']), 30_000);
      return null;
    } catch (e) {
      const paranoid = await runTool('cat', ['/proc/sys/kernel/perf_event_paranoid'], 5000).catch(() => '?');
      return `perf cannot record here (${(e as Error).message}; perf_event_paranoid is ${paranoid.trim()})`;
    } finally {
      if (rec !== null) removeRecording(rec);
    }
  })();
  return probed;
}

/**
 * The profiling process's end of a recording: `enable` and `disable` send perf the command and
 * wait for its acknowledgement, so no call is left out or counted twice.
 */
export function perfControl(fifos: { ctl: string; ack: string }): {
  enable: () => void;
  disable: () => void;
  close: () => void;
} {
  // perf holds both FIFOs open read-write, so neither open blocks.
  const ctl = openSync(fifos.ctl, 'w');
  const ack = openSync(fifos.ack, 'r');
  const send = (command: string) => {
    writeSync(ctl, `${command}\n`);
    const buf = Buffer.alloc(64);
    const n = readSync(ack, buf, 0, buf.length, null);
    if (!buf.subarray(0, n).toString().startsWith('ack'))
      throw new Error(`perf did not acknowledge '${command}' (got ${JSON.stringify(buf.subarray(0, n).toString())})`);
  };
  return {
    enable: () => send('enable'),
    disable: () => send('disable'),
    close: () => {
      closeSync(ctl);
      closeSync(ack);
    },
  };
}

/**
 * Native frames of a differential profile: `perf script` output captured from a real profiling
 * process under `perf record` (test/fixtures/profile-native/README.md), read into addon functions'
 * self time; malformed output; and how the addon functions replace V8's native frames.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SelfTime } from '../../../src/profile/differential.js';
import { addonSamples, ownSamples, withAddonFunctions } from '../../../src/profile/native-frames.js';
import { ROOT } from '../../helpers.js';

const FIXTURES = join(ROOT, 'test', 'fixtures', 'profile-native');
const perfScript = (): string => readFileSync(join(FIXTURES, 'perf-script.txt'), 'utf8');

describe('perf script output captured from a real run', () => {
  it("gives each addon function its samples, with the libm time under the addon's caller", () => {
    const found = addonSamples(perfScript(), 'the fixture');
    expect(found.map((f) => [f.symbol, f.samples, f.nanoseconds])).toEqual([
      ['_Z8leafWorki', 118, 59_000_000],
      ['_Z7ownWorki', 1, 500_000],
      ['fmod@plt', 1, 500_000],
    ]);
    for (const f of found) expect(f.dso).toMatch(/\/build\/deep\.node$/);
    // Most of leafWork's samples stopped in libm's fmod, called from it: they are leafWork's own time.
    const inLibm = perfScript()
      .split('\n\n')
      .filter((s) => /\n\t\s*[0-9a-f]+ \S+ \(\S*libm\.so\.6\)\n\t\s*[0-9a-f]+ _Z8leafWorki /.test(s)).length;
    expect(inLibm).toBeGreaterThan(50);
  });

  it('leaves out samples that reach Node or JIT code before any addon frame', () => {
    const text = [
      ' 7 500000 ',
      '\t     1234 __fmod_finite (/usr/lib/x86_64-linux-gnu/libm.so.6)',
      '\t   845d94 _ZN6v8impl8FunctionCallbackWrapper6InvokeE (/usr/bin/node)',
      '\t     2572 _Z8leafWorki (/x/deep.node)',
      '',
      ' 7 250000 ',
      '\t     2572 _Z8leafWorki (/x/deep.node)',
      '\t     264c _Z9outerStepi (/x/deep.node)',
      '',
      ' 8 250000     7fd984003ee2 [unknown] (/tmp/perf-8.map)',
      '',
    ].join('\n');
    expect(addonSamples(text, 'the text')).toEqual([
      { dso: '/x/deep.node', symbol: '_Z8leafWorki', nanoseconds: 250_000, samples: 1 },
    ]);
  });

  it("gives a program's own functions their samples, libc's and the kernel's time to the caller", () => {
    const text = [
      ' 9 500000 ',
      '\t  ffffffff81000000 clear_page_erms ([kernel.kallsyms])',
      '\t     1234 __memset_avx2 (/usr/lib/x86_64-linux-gnu/libc.so.6)',
      '\t     1150 leaf (/repo/work)',
      '\t     1190 main (/repo/work)',
      '',
      ' 9 250000 ',
      '\t     1190 main (/repo/work)',
      '',
      ' 9 250000 ',
      '\t     7777 _dl_relocate_object (/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2)',
      '',
    ].join('\n');
    const isProgram = (dso: string) => dso === '/repo/work';
    expect(ownSamples(text, 'the text', isProgram)).toEqual([
      { dso: '/repo/work', symbol: 'leaf', nanoseconds: 500_000, samples: 1 },
      { dso: '/repo/work', symbol: 'main', nanoseconds: 250_000, samples: 1 },
    ]);
  });

  it('names the line that is neither a sample nor a frame', () => {
    expect(() => addonSamples(' 7 500000 \n\tnot a frame\n', 'the head perf recording')).toThrow(
      /the head perf recording: line 2 is neither a sample header nor a stack frame: \tnot a frame/,
    );
    expect(() => addonSamples('garbage\n', 'x')).toThrow(/line 1/);
  });
});

describe('addon functions in place of V8 native frames', () => {
  const js = (name: string, ms: number): SelfTime => ({ function: name, file: 'k.ts', line: 3, msPerCall: ms });
  const isNative = (f: SelfTime) => f.function.startsWith('(native code');

  it('takes what perf found out of the native frames, in proportion, and adds the functions', () => {
    const v8 = [js('(native code, called from run)', 6), js('(native code, called from other)', 2), js('loop', 1.5)];
    const addon = [{ function: 'leafWork(int)', file: 'addon.cc', line: 7, msPerCall: 4 }];
    // What is left is named for what it is: time perf did not sample.
    expect(withAddonFunctions(v8, isNative, addon).map((f) => [f.function, f.msPerCall])).toEqual([
      ['leafWork(int)', 4],
      ['(native code perf did not sample: waiting or kernel time, called from run)', 3],
      ['loop', 1.5],
      ['(native code perf did not sample: waiting or kernel time, called from other)', 1],
    ]);
  });

  it('never leaves a native frame below zero, and keeps the JavaScript functions as they were', () => {
    const v8 = [js('(native code, called from run)', 1), js('loop', 2)];
    const addon = [{ function: 'leafWork(int)', file: 'addon.cc', line: 7, msPerCall: 1.5 }];
    expect(withAddonFunctions(v8, isNative, addon)).toEqual([js('loop', 2), addon[0]]);
  });
});

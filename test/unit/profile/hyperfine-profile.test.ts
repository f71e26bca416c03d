/**
 * A hyperfine benchmark's own command, for its callgrind profile: the words of the harness's
 * hyperfine invocation (quotes, escapes), positional commands and their `-n` names in order, and
 * the reasons given where the name cannot be mapped to one command.
 */
import { describe, expect, it } from 'vitest';
import { harnessProfilePlan } from '../../../src/profile/harness-profile.js';
import { hyperfineCommandOf, shellWords } from '../../../src/profile/hyperfine-profile.js';

const commandOf = (invocation: string, own: string) => hyperfineCommandOf(invocation, own);

describe('shellWords', () => {
  it('removes quotes and escapes as sh does', () => {
    expect(shellWords(`a 'b c' "d \\"e\\" \\$f" g\\ h 'i'"j"k '$Y' a~b # comment`)).toEqual([
      'a',
      'b c',
      'd "e" $f',
      'g h',
      'ijk',
      '$Y',
      'a~b',
    ]);
  });

  it('marks variables where the shell would substitute them, not in single quotes', () => {
    expect(shellWords(`hyperfine $HOME/x "$X" '$Y'`)).toEqual([
      'hyperfine',
      '\uE000HOME\uE000/x',
      '\uE000X\uE000',
      '$Y',
    ]);
  });

  it('refuses what the shell would expand or run otherwise, naming it', () => {
    expect(shellWords('hyperfine *.c')).toEqual({ error: 'it has the pattern *.c, which the shell expands' });
    expect(shellWords('hyperfine `date`')).toEqual({ error: 'it has `date`, which the shell expands' });
    expect(shellWords('hyperfine ~/bin')).toEqual({ error: 'it has ~/bin, which the shell expands' });
    expect(shellWords('cd x && hyperfine y')).toEqual({ error: 'it has the shell operator "&&"' });
  });
});

describe('hyperfineCommandOf', () => {
  it('takes an unnamed benchmark as its command, among the options', () => {
    const h = `hyperfine -N --runs 5 --warmup=1 -i 'sleep 0.01' "./work --fast"`;
    expect(commandOf(h, 'sleep 0.01')).toEqual({ commandLine: 'sleep 0.01' });
    expect(commandOf(h, './work --fast')).toEqual({ commandLine: './work --fast' });
  });

  it('maps -n/--command-name to the commands in order, with quoted arguments', () => {
    const h = `hyperfine -N -r5 -n node/startup --command-name 'sleep 10ms' 'node -e 0' 'sleep 0.01' './c "x y"'`;
    expect(commandOf(h, 'node/startup')).toEqual({ commandLine: 'node -e 0' });
    expect(commandOf(h, 'sleep 10ms')).toEqual({ commandLine: 'sleep 0.01' });
    // Fewer names than commands: the rest are named by their own text.
    expect(commandOf(h, './c "x y"')).toEqual({ commandLine: './c "x y"' });
    expect(commandOf(h, 'node -e 0')).toEqual({
      missing: `no command of the hyperfine invocation is named 'node -e 0' (its names: 'node/startup', 'sleep 10ms', './c "x y"')`,
    });
  });

  it('skips the values of options, also short ones packed together, and takes what follows --', () => {
    const h = `hyperfine -Nw 2 -p 'make clean' --setup=make -S bash --export-markdown out.md -- -x 'y z'`;
    expect(commandOf(h, '-x')).toEqual({ commandLine: '-x' });
    expect(commandOf(h, 'y z')).toEqual({ commandLine: 'y z' });
    expect(commandOf(h, 'make')).toHaveProperty('missing');
  });

  it('keeps leading assignments, exported, and a path to hyperfine', () => {
    expect(commandOf(`PATH=$PWD/bin:$PATH LC_ALL=C /usr/bin/hyperfine -N ./work`, './work')).toEqual({
      // sh text again: ${PWD} and ${PATH} substituted when it runs, the rest quoted.
      commandLine: 'export PATH="${PWD}"/bin\\:"${PATH}" LC_ALL=C\n./work',
    });
  });

  it('gives a reason naming the benchmark rather than guessing', () => {
    const reason = (h: string, own: string) => {
      const r = commandOf(h, own);
      return 'missing' in r ? r.missing : `found ${r.commandLine}`;
    };
    expect(reason(`hyperfine -P n 1 3 './work {n}'`, './work 2')).toBe(
      "hyperfine benchmark './work 2' comes from a parameter scan (--parameter-scan), whose names carry the values: benchgate does not map them back to a command yet",
    );
    expect(reason(`hyperfine -L cc gcc,clang -n '{cc}' '{cc} -v'`, 'gcc')).toMatch(
      /parameter scan \(--parameter-list\)/,
    );
    expect(reason(`cd bench && hyperfine ./work`, './work')).toBe(
      `the command of hyperfine benchmark './work' is not one plain hyperfine invocation: it has the shell operator "&&"`,
    );
    expect(reason(`hyperfine "./work $N"`, './work 3')).toBe(
      `the command of hyperfine benchmark './work 3' has $N, which the shell expands: its commands cannot be read`,
    );
    expect(reason(`hyperfine --reference ./old ./work`, './work')).toBe(
      "the command of hyperfine benchmark './work': hyperfine option --reference is not one benchgate knows how to read",
    );
    expect(reason(`hyperfine -x ./work`, './work')).toMatch(/option -x is not one/);
    expect(reason(`hyperfine --runs`, 'a')).toMatch(/--runs has no value/);
    expect(reason(`bench ./work`, './work')).toMatch(/does not start with hyperfine/);
    expect(reason(`hyperfine -n a -n b ./work`, 'a')).toMatch(/names more commands \(-n\) than it has \(1\)/);
    expect(reason(`hyperfine -n a -n a ./x ./y`, 'a')).toBe("2 commands of the hyperfine invocation are named 'a'");
  });
});

describe('harnessProfilePlan for hyperfine', () => {
  const entry = (command: string) =>
    ({ harness: 'hyperfine', command, cwd: null, name: null, runs: null, warmup: null }) as const;

  it('runs the one command under callgrind, one call', () => {
    const plan = harnessProfilePlan(entry(`hyperfine -N -n fast './work 1'`), 'fast');
    expect(plan).toMatchObject({ profiler: 'callgrind', commandLine: 'exec >/dev/null\n./work 1' });
    expect('callsOf' in plan && plan.callsOf('')).toBe(1);
  });

  it('says why where the name is not one command', () => {
    expect(harnessProfilePlan(entry(`hyperfine ./a`), 'b')).toEqual({
      missing: "no command of the hyperfine invocation is named 'b' (its names: './a')",
    });
  });
});

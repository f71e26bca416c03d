/**
 * Which command a `hyperfine` harness benchmark times, for its callgrind profile: the harness's
 * command is one hyperfine invocation (optionally after `NAME=value` assignments), whose
 * positional arguments are the commands and whose `-n`/`--command-name`s name them in order; a
 * command without a name is named by its own text, as in hyperfine's export. The profile runs
 * that one command once, under `sh -c` as hyperfine's default shell does, also where `-N` or
 * `-S` asked hyperfine for no shell or another one: for counting instructions it is the same
 * program. `--setup`, `--prepare`, `--conclude` and `--cleanup` are not run.
 * The words are split by shell-quote; anything the shell would expand or run otherwise (a
 * variable, a glob, a command substitution, a `~`, an operator), an option hyperfine 1.15–1.19
 * does not document, or a parameter scan (`-P`/`-L`, whose names carry the values) gives a
 * reason instead of a guess.
 */
import { parse, quote } from 'shell-quote';

/** Where the shell would substitute variable NAME, a word holds `\uE000NAME\uE000` (a private-use character). */
const MARK = '\uE000';
const VARIABLE = /\uE000([^\uE000]*)\uE000/g;

/**
 * The words of `text` as sh would pass them, variables left marked where they are (see
 * {@link MARK}), or why it is not a plain list of words: an operator, a glob, a command
 * substitution or a `~`.
 */
export function shellWords(text: string): string[] | { error: string } {
  let tokens: ReturnType<typeof parse>;
  try {
    tokens = parse(text, (name: string) => `${MARK}${name}${MARK}`);
  } catch (e) {
    return { error: `its words cannot be read (${(e as Error).message})` };
  }
  const words: string[] = [];
  for (const t of tokens) {
    if (typeof t === 'string') {
      if (t.includes('`') || t.startsWith('~')) return { error: `it has ${t}, which the shell expands` };
      words.push(t);
    } else if ('comment' in t) break;
    else if ('op' in t && t.op === 'glob' && 'pattern' in t)
      return { error: `it has the pattern ${t.pattern}, which the shell expands` };
    else return { error: `it has the shell operator ${JSON.stringify('op' in t ? t.op : t)}` };
  }
  return words;
}

/** The first variable a word would have substituted, or null. */
const variableIn = (word: string): string | null => new RegExp(VARIABLE.source).exec(word)?.[1] ?? null;

/** An assignment word as sh text again: its name, its value's literal parts quoted, its variables substituted. */
function assignment(word: string): string {
  const eq = word.indexOf('=');
  const value = word
    .slice(eq + 1)
    .split(VARIABLE)
    .map((part, i) => (i % 2 === 1 ? `"\${${part}}"` : part === '' ? '' : quote([part])))
    .join('');
  return `${word.slice(0, eq + 1)}${value}`;
}

/** hyperfine's options that take values, by long name: how many words each takes. */
const VALUED: Record<string, number> = {
  warmup: 1,
  'min-runs': 1,
  'max-runs': 1,
  runs: 1,
  setup: 1,
  prepare: 1,
  conclude: 1,
  cleanup: 1,
  'parameter-scan': 3,
  'parameter-step-size': 1,
  'parameter-list': 2,
  shell: 1,
  style: 1,
  sort: 1,
  'time-unit': 1,
  'export-asciidoc': 1,
  'export-csv': 1,
  'export-json': 1,
  'export-markdown': 1,
  'export-orgmode': 1,
  'min-benchmarking-time': 1,
  output: 1,
  input: 1,
  'command-name': 1,
};

/** hyperfine's options without a value. */
const FLAGS = new Set(['ignore-failure', 'show-output', 'help', 'version', 'N']);

/** hyperfine's short options, by their long name (`N` is `--shell=none`). */
const SHORT: Record<string, string> = {
  w: 'warmup',
  m: 'min-runs',
  M: 'max-runs',
  r: 'runs',
  s: 'setup',
  p: 'prepare',
  C: 'conclude',
  c: 'cleanup',
  P: 'parameter-scan',
  D: 'parameter-step-size',
  L: 'parameter-list',
  S: 'shell',
  u: 'time-unit',
  n: 'command-name',
  N: 'N',
  i: 'ignore-failure',
  h: 'help',
  V: 'version',
};

/**
 * The shell command line that runs hyperfine benchmark `own` (the name in hyperfine's export) once
 * on its own, with the invocation's leading assignments exported, or why it cannot be found.
 */
export function hyperfineCommandOf(invocation: string, own: string): { commandLine: string } | { missing: string } {
  const of = `hyperfine benchmark '${own}'`;
  const words = shellWords(invocation);
  if ('error' in words)
    return { missing: `the command of ${of} is not one plain hyperfine invocation: ${words.error}` };
  let at = 0;
  const assignments: string[] = [];
  while (at < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[at]!)) assignments.push(assignment(words[at++]!));
  const program = words[at];
  if (program === undefined || variableIn(program) !== null || program.split('/').pop() !== 'hyperfine')
    return { missing: `the command of ${of} does not start with hyperfine (after NAME=value assignments)` };
  const commands: string[] = [];
  const names: string[] = [];
  let scan: string | null = null;
  const args = words.slice(at + 1);
  for (let k = 0; k < args.length; k++) {
    const w = args[k]!;
    const variable = variableIn(w);
    if (variable !== null)
      return { missing: `the command of ${of} has $${variable}, which the shell expands: its commands cannot be read` };
    const take = (option: string, first: string | null): string | null => {
      const values = first === null ? [] : [first];
      while (values.length < VALUED[option]!) {
        const next = args[++k];
        if (next === undefined) return `--${option} has no value`;
        const variable = variableIn(next);
        if (variable !== null) return `--${option} has $${variable}, which the shell expands`;
        values.push(next);
      }
      if (option === 'command-name') names.push(values[0]!);
      if (option === 'parameter-scan' || option === 'parameter-list') scan ??= `--${option}`;
      return null;
    };
    let problem: string | null = null;
    if (w === '--') {
      const rest = args.slice(k + 1);
      const variable = rest.map(variableIn).find((v) => v !== null);
      if (variable != null)
        return {
          missing: `the command of ${of} has $${variable}, which the shell expands: its commands cannot be read`,
        };
      commands.push(...rest);
      break;
    } else if (w.startsWith('--')) {
      const eq = w.indexOf('=');
      const option = w.slice(2, eq < 0 ? undefined : eq);
      if (option in VALUED) problem = take(option, eq < 0 ? null : w.slice(eq + 1));
      else if (!FLAGS.has(option) || option === 'N')
        problem = `hyperfine option ${w} is not one benchgate knows how to read`;
    } else if (w.startsWith('-') && w.length > 1) {
      for (let j = 1; j < w.length; j++) {
        const option = SHORT[w[j]!];
        if (option === undefined) {
          problem = `hyperfine option -${w[j]} is not one benchgate knows how to read`;
          break;
        }
        if (option in VALUED) {
          problem = take(option, j + 1 < w.length ? w.slice(j + 1) : null);
          break;
        }
      }
    } else commands.push(w);
    if (problem !== null) return { missing: `the command of ${of}: ${problem}` };
  }
  if (scan !== null)
    return {
      missing: `${of} comes from a parameter scan (${scan}), whose names carry the values: benchgate does not map them back to a command yet`,
    };
  if (names.length > commands.length)
    return { missing: `the command of ${of} names more commands (-n) than it has (${commands.length})` };
  const matching = commands.filter((c, k) => (names[k] ?? c) === own);
  if (matching.length !== 1)
    return {
      missing:
        matching.length === 0
          ? `no command of the hyperfine invocation is named '${own}' (its names: ${commands.map((c, k) => `'${names[k] ?? c}'`).join(', ')})`
          : `${matching.length} commands of the hyperfine invocation are named '${own}'`,
    };
  const exports = assignments.length > 0 ? `export ${assignments.join(' ')}\n` : '';
  return { commandLine: `${exports}${matching[0]!}` };
}

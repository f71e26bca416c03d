/**
 * Which measures gate and which only inform, with thresholds per measure and per benchmark glob,
 * as `benchgate.config.json` writes them:
 * `"measures": {"time": {"threshold": "2%"}, "peak-memory": {"gate": true, "threshold": "5%"}}` and
 * `"benchmarks": {"select/*": {"threshold": "5%"}, "gridding/ts-objects/*": {"ignore": true}}`.
 * Later globs win over earlier ones; an ignored benchmark is measured and reported, never gated.
 */
import picomatch from 'picomatch';
import { nameGlob } from './name-glob.js';
import { isMeasureName, MEASURES, type MeasureName } from '../model.js';
import { bool, ConfigError, percentage, show } from './parse.js';

/** How one measure is judged. */
export interface MeasureRule {
  /** Whether a regression of this measure fails the gate (otherwise it is reported only). */
  gate: boolean;
  /** Smallest change in percent that counts; null = derived from the measured noise. */
  thresholdPct: number | null;
  /** Whether the measure is taken at all (`allocated` only when the config names it). */
  take: boolean;
}

/** The `measures` and `benchmarks` sections, validated. */
export interface MeasurePolicy {
  /** The built-in measures always; a harness's own measure where the config names it. */
  measures: Record<MeasureName, MeasureRule>;
  benchmarks: { glob: string; ignore: boolean; measures: Partial<Record<MeasureName, Partial<MeasureRule>>> }[];
}

/**
 * By default time gates with a threshold from the noise and every other measure informs;
 * `allocated` costs a pass of extra calls per benchmark and `instructions` a pass under callgrind,
 * so a suite module takes them only when the config names them (a harness reports what it reports).
 */
export const DEFAULT_MEASURE_POLICY: MeasurePolicy = {
  measures: {
    time: { gate: true, thresholdPct: null, take: true },
    'peak-memory': { gate: false, thresholdPct: null, take: true },
    allocated: { gate: false, thresholdPct: null, take: false },
    allocations: { gate: false, thresholdPct: null, take: true },
    instructions: { gate: false, thresholdPct: null, take: false },
    throughput: { gate: false, thresholdPct: null, take: true },
  },
  benchmarks: [],
};

function objectAt(raw: unknown, key: string): Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new ConfigError(`'${key}' must be an object but got ${show(raw)}`, key);
  return raw as Record<string, unknown>;
}

function measureName(name: string, key: string): MeasureName {
  if (!isMeasureName(name))
    throw new ConfigError(
      `unknown measure '${name}' in '${key}' (known measures: ${MEASURES.join(', ')}; a harness's own figures are named '<unit>/op', '<unit>/s' or 'counter:<name>')`,
      key,
    );
  return name;
}

function ruleAt(raw: unknown, key: string): Partial<MeasureRule> {
  const o = objectAt(raw, key);
  const out: Partial<MeasureRule> = {};
  for (const [k, v] of Object.entries(o)) {
    if (k === 'gate') out.gate = bool(`${key}.gate`)(v) as boolean;
    else if (k === 'threshold') out.thresholdPct = percentage(`${key}.threshold`)(v) as number;
    else throw new ConfigError(`unknown key '${k}' in '${key}' (known keys: gate, threshold)`, `${key}.${k}`);
  }
  return out;
}

function measureRules(raw: unknown, key: string): Partial<Record<MeasureName, Partial<MeasureRule>>> {
  const out: Partial<Record<MeasureName, Partial<MeasureRule>>> = {};
  for (const [name, rule] of Object.entries(objectAt(raw, key)))
    out[measureName(name, key)] = ruleAt(rule, `${key}.${name}`);
  return out;
}

/** A glob picomatch accepts, with balanced brackets and braces; the error names the key. */
function glob(pattern: string, key: string): string {
  const balanced = (open: string, close: string) => pattern.split(open).length === pattern.split(close).length;
  let ok = pattern.trim() !== '' && balanced('[', ']') && balanced('{', '}') && balanced('(', ')');
  if (ok) {
    try {
      picomatch.makeRe(pattern, { strictBrackets: true });
    } catch {
      ok = false;
    }
  }
  if (!ok) throw new ConfigError(`'${key}' has a malformed glob ${show(pattern)}`, key);
  return pattern;
}

/** Parses the `measures` section (an object of measure names). */
export function parseMeasures(raw: unknown): MeasurePolicy['measures'] {
  const given = measureRules(raw, 'measures');
  const out = structuredClone(DEFAULT_MEASURE_POLICY.measures);
  for (const [name, rule] of Object.entries(given)) out[name] = { ...defaultRule(out, name), ...rule, take: true };
  return out;
}

/** Parses the `benchmarks` section (an object of globs over benchmark names). */
export function parseBenchmarkRules(raw: unknown): MeasurePolicy['benchmarks'] {
  return Object.entries(objectAt(raw, 'benchmarks')).map(([pattern, rule]) => {
    const key = `benchmarks.${pattern}`;
    const o = objectAt(rule, key);
    let ignore = false;
    const measures: Partial<Record<MeasureName, Partial<MeasureRule>>> = {};
    for (const [k, v] of Object.entries(o)) {
      if (k === 'ignore') ignore = bool(`${key}.ignore`)(v) as boolean;
      else if (k === 'threshold')
        measures.time = { ...measures.time, thresholdPct: percentage(`${key}.threshold`)(v) as number };
      else if (k === 'measures') Object.assign(measures, measureRules(v, `${key}.measures`));
      else
        throw new ConfigError(
          `unknown key '${k}' in '${key}' (known keys: ignore, threshold, measures)`,
          `${key}.${k}`,
        );
    }
    return { glob: glob(pattern, key), ignore, measures };
  });
}

/** A measure the config does not name informs and is kept wherever something reports it. */
function defaultRule(measures: MeasurePolicy['measures'], measure: MeasureName): MeasureRule {
  return measures[measure] ?? { gate: false, thresholdPct: null, take: true };
}

/** Whether `measure` is taken: always for time and peak memory, for `allocated` when the config names it. */
export function takes(policy: MeasurePolicy, measure: MeasureName): boolean {
  return defaultRule(policy.measures, measure).take || policy.benchmarks.some((b) => b.measures[measure] !== undefined);
}

/** How `measure` of benchmark `name` is judged: the measure's rule, then every matching glob in order. */
export function ruleFor(policy: MeasurePolicy, name: string, measure: MeasureName): MeasureRule & { ignored: boolean } {
  let rule: MeasureRule = { ...defaultRule(policy.measures, measure) };
  let ignored = false;
  for (const b of policy.benchmarks) {
    if (!nameGlob(b.glob)(name)) continue;
    ignored ||= b.ignore;
    rule = { ...rule, ...b.measures[measure] };
  }
  return { ...rule, gate: rule.gate && !ignored, ignored };
}

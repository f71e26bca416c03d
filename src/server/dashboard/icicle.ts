/**
 * A regression's differential call tree as an icicle: the root (all the benchmark's time) on top,
 * each function's callees in the row below it, each box as wide as the function's inclusive time
 * per call on the head, coloured by how that time changed from the base (red grew, blue shrank,
 * grey unchanged; the stronger, the larger the change). Each box's title says the function, its
 * file:line, and its base and head times. Functions on the base only have no width and are not drawn.
 */
import type { ProfileTree, ProfileTreeNode } from '../../model.js';
import { el, svg } from './dom.js';
import { pct, seconds } from './format.js';

/** Width of the icicle, as the bar chart above it. */
const WIDTH = 920;
const ROW_H = 20;
const LEGEND_H = 26;
/** Narrowest box drawn, in pixels (its callees are narrower still). */
const MIN_BOX = 0.5;
/** Roughly how wide a label's character is at 11px. */
const CHAR_W = 6.6;
/** A change below this share of the larger root is drawn as unchanged (sampling noise). */
const UNCHANGED_SHARE = 0.01;

const msPerCall = (ms: number): string => (ms === 0 ? '0 ms/call' : `${seconds(ms / 1000)}/call`);

/** `+4.10 ms/call (+205%)`, or `−…` where it shrank. */
function change(base: number, head: number): string {
  const d = head - base;
  const rel = base > 0 ? ` (${pct((d / base) * 100, 0)})` : '';
  return `${d >= 0 ? '+' : '−'}${msPerCall(Math.abs(d))}${rel}`;
}

const placeOf = (n: ProfileTreeNode): string => (n.file === '' ? '' : n.line > 0 ? `${n.file}:${n.line}` : n.file);

/** A box's colour class and fill: hue by direction, lightness by the size of the change. */
function colour(delta: number, unchanged: number, largest: number): { kind: string; fill: string; dark: boolean } {
  if (Math.abs(delta) < unchanged || largest <= 0) return { kind: 'same', fill: '#d0d5dd', dark: false };
  const t = Math.min(1, Math.abs(delta) / largest);
  const lightness = Math.round(86 - 40 * t);
  return {
    kind: delta > 0 ? 'grew' : 'shrank',
    fill: `hsl(${delta > 0 ? 0 : 214}, 72%, ${lightness}%)`,
    dark: lightness < 62,
  };
}

function depthOf(n: ProfileTreeNode): number {
  let d = 0;
  for (const c of n.children) d = Math.max(d, depthOf(c) + 1);
  return d;
}

/** The tooltip of a box: what it is and how its time changed. */
function titleOf(n: ProfileTreeNode): string {
  const place = placeOf(n);
  return [
    `${n.function}${place ? ` — ${place}` : ''}`,
    `inclusive: base ${msPerCall(n.baseTotalMsPerCall)}, head ${msPerCall(n.headTotalMsPerCall)}, ${change(n.baseTotalMsPerCall, n.headTotalMsPerCall)}`,
    `self: base ${msPerCall(n.baseSelfMsPerCall)}, head ${msPerCall(n.headSelfMsPerCall)}, ${change(n.baseSelfMsPerCall, n.headSelfMsPerCall)}`,
  ].join('\n');
}

/** The icicle of `tree`, with its legend and a line on what was left out. */
export function icicle(tree: ProfileTree): HTMLElement {
  const root = tree.root;
  const all: ProfileTreeNode[] = [];
  const collect = (n: ProfileTreeNode) => {
    all.push(n);
    n.children.forEach(collect);
  };
  collect(root);
  const largest = Math.max(0, ...all.slice(1).map((n) => Math.abs(n.headTotalMsPerCall - n.baseTotalMsPerCall)));
  const unchanged = UNCHANGED_SHARE * Math.max(root.baseTotalMsPerCall, root.headTotalMsPerCall);
  const scale = root.headTotalMsPerCall > 0 ? WIDTH / root.headTotalMsPerCall : 0;
  const height = LEGEND_H + (depthOf(root) + 1) * ROW_H + 4;
  const chart = svg('svg', {
    class: 'icicle',
    width: WIDTH,
    height,
    role: 'group',
    'aria-label':
      'Call tree of base and head: width is the head’s inclusive time per call, colour its change from the base',
  });
  const swatch = (x: number, kind: string, fill: string, label: string) => [
    svg('rect', { class: `swatch ${kind}`, x, y: 6, width: 12, height: 10, fill }),
    svg('text', { x: x + 16, y: 15 }, label),
  ];
  chart.append(
    ...swatch(0, 'grew', colour(1, 0, 1).fill, 'grew'),
    ...swatch(56, 'shrank', colour(-1, 0, 1).fill, 'shrank'),
    ...swatch(124, 'same', colour(0, 1, 1).fill, 'unchanged'),
    svg(
      'text',
      { class: 'scale', x: WIDTH, y: 15, 'text-anchor': 'end' },
      `width: head, ${msPerCall(root.headTotalMsPerCall)} in all · colour: change from base (inclusive time)`,
    ),
  );
  const draw = (n: ProfileTreeNode, x: number, maxW: number, depth: number): void => {
    // Clamped to the caller's box: a report is untrusted and its numbers need not add up.
    const w = Math.min(maxW, Math.max(0, n.headTotalMsPerCall * scale));
    if (w < MIN_BOX) return;
    const y = LEGEND_H + depth * ROW_H;
    const c = colour(n.headTotalMsPerCall - n.baseTotalMsPerCall, unchanged, largest);
    const g = svg('g', { class: `icicle-node ${c.kind}`, 'data-depth': depth });
    g.append(
      svg('title', {}, titleOf(n)),
      svg('rect', { x: x.toFixed(2), y, width: w.toFixed(2), height: ROW_H - 1, fill: c.fill }),
    );
    const chars = Math.floor((w - 6) / CHAR_W);
    if (chars >= 3) {
      const label = n.function.length > chars ? `${n.function.slice(0, chars - 1)}…` : n.function;
      g.append(svg('text', { x: (x + 3).toFixed(2), y: y + 14, ...(c.dark ? { class: 'on-dark' } : {}) }, label));
    }
    chart.append(g);
    let at = x;
    for (const child of n.children) {
      const left = x + w - at;
      if (left < MIN_BOX) break;
      draw(child, at, left, depth + 1);
      at += Math.min(left, Math.max(0, child.headTotalMsPerCall * scale));
    }
  };
  draw(root, 0, WIDTH, 0);
  const notes = [
    'Where in the call tree the time went: base and head call trees merged, the root on top and each function’s callees below it; hover a box for its times.',
    'V8’s frames only: an addon’s native code is one “(native code)” box under its caller.',
    ...(tree.pruned > 0
      ? [`${tree.pruned} smaller call paths are left out; their time stays in their callers’ boxes.`]
      : []),
  ];
  return el('div', { class: 'icicle-block' }, [
    el('h4', { text: 'Call tree, head against base (V8 CPU profiler, inclusive ms/call)' }),
    ...(scale > 0
      ? [chart]
      : [el('p', { class: 'muted', text: 'The head profile sampled no time in the benchmark.' })]),
    el('p', { class: 'muted icicle-note', text: notes.join(' ') }),
  ]);
}

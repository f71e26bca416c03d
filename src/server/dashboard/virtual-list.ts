/**
 * A virtualised list of fixed-height rows: only the rows in view (plus a margin) exist in the
 * DOM, so a suite of thousands of benchmarks scrolls and filters as fast as one of ten.
 */

/** Renders row `i` into a fresh element (positioned by the list). */
export type RowRenderer = (index: number) => HTMLElement;

/** A mounted list; `update` swaps the rows without rebuilding the container. */
export interface VirtualList {
  element: HTMLElement;
  update: (count: number, render: RowRenderer) => void;
}

/** Creates a list of rows `rowHeight` pixels high. */
export function virtualList(rowHeight: number, header?: HTMLElement): VirtualList {
  const element = document.createElement('div');
  element.className = 'vlist';
  const spacer = document.createElement('div');
  spacer.className = 'vlist-spacer';
  if (header) element.append(header);
  element.append(spacer);
  let count = 0;
  let render: RowRenderer = () => document.createElement('div');
  let shown = new Map<number, HTMLElement>();
  const paint = (): void => {
    const top = element.scrollTop;
    const height = element.clientHeight || 800;
    const first = Math.max(0, Math.floor(top / rowHeight) - 10);
    const last = Math.min(count, Math.ceil((top + height) / rowHeight) + 10);
    const next = new Map<number, HTMLElement>();
    for (let i = first; i < last; i++) {
      let row = shown.get(i);
      if (!row) {
        row = render(i);
        row.style.top = `${i * rowHeight}px`;
        spacer.append(row);
      }
      next.set(i, row);
    }
    for (const [i, row] of shown) if (!next.has(i)) row.remove();
    shown = next;
  };
  let queued = false;
  element.addEventListener('scroll', () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      paint();
    });
  });
  return {
    element,
    update(n, r) {
      count = n;
      render = r;
      for (const row of shown.values()) row.remove();
      shown = new Map();
      spacer.style.height = `${n * rowHeight}px`;
      paint();
    },
  };
}

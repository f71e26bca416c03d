/**
 * DOM helpers: every piece of data reaches the page through `textContent` or attribute setters,
 * never through HTML strings, so a name like `<img src=x onerror=alert(1)>` stays text.
 */

/** Attributes and properties `el` sets (values are strings; `text` sets textContent). */
export type Attrs = Record<string, string | undefined> & { text?: string };

/** Creates an element with attributes and children. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  children: (Node | string)[] = [],
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined) continue;
    if (k === 'text') node.textContent = v;
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c); // strings become text nodes
  return node;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Creates an SVG element with attributes (numbers allowed). */
export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number> = {},
  text?: string,
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A link to an in-app route (hash). */
export function link(href: string, text: string, cls?: string): HTMLAnchorElement {
  return el('a', { href, text, class: cls });
}

/** A link to a commit on the repository host, or plain text when no safe URL can be made. */
export function commitLink(repositoryUrl: string | null, sha: string | null): Node {
  if (sha === null) return document.createTextNode('(no commit)');
  const short = sha.slice(0, 10);
  if (repositoryUrl === null || !/^https?:\/\//i.test(repositoryUrl) || !/^[0-9a-f]{4,64}$/i.test(sha))
    return el('code', { text: short });
  const a = el('a', {
    href: `${repositoryUrl}/commit/${sha}`,
    target: '_blank',
    rel: 'noopener noreferrer',
    class: 'commit',
  });
  a.append(el('code', { text: short }));
  return a;
}

/** Replaces the view's content. */
export function show(...nodes: Node[]): void {
  const view = document.getElementById('view') as HTMLElement;
  view.replaceChildren(...nodes);
}

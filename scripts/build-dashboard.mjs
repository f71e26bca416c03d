// Bundles the dashboard (src/server/dashboard) with esbuild into dist/dashboard: app.js (one
// script, no inline code, so the Content-Security-Policy can forbid inline scripts), app.css
// (uPlot's styles and ours) and index.html.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = `${root}src/server/dashboard/`;
const out = `${root}dist/dashboard/`;
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await build({
  entryPoints: { app: `${src}main.ts` },
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['es2020'],
  outdir: out,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
});
await build({ entryPoints: { app: `${src}style.css` }, bundle: true, minify: true, outdir: out, logLevel: 'warning' });
copyFileSync(`${src}index.html`, `${out}index.html`);

/**
 * `npm run lint`'s workflow pass (scripts/lint-workflows.mjs) as a process: the repository's own
 * workflows and action.yml pass it, and each rule (and actionlint itself) catches what it is for in
 * workflows written here to break them.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../helpers.js';

const SCRIPT = join(ROOT, 'scripts', 'lint-workflows.mjs');

function lint(root: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [SCRIPT, root], (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, output: stdout + stderr }),
    );
  });
}

/** A folder holding the given workflows (by file name) and action.yml. */
function project(workflows: Record<string, string>, action?: string): string {
  const root = tempDir('benchgate-workflows-');
  mkdirSync(join(root, '.github', 'workflows'), { recursive: true });
  for (const [name, text] of Object.entries(workflows)) writeFileSync(join(root, '.github', 'workflows', name), text);
  if (action !== undefined) writeFileSync(join(root, 'action.yml'), action);
  return root;
}

describe('the workflow lint', () => {
  it("passes benchgate's own workflows and action.yml", async () => {
    const r = await lint(ROOT);
    expect(r.output).toMatch(/lint-workflows: \d+ files, no findings/);
    expect(r.code).toBe(0);
  });

  it('finds each kind of problem, with its file and line, and fails', async () => {
    const root = project(
      {
        'pages.yml': `name: pages
on: push
permissions:
  contents: read
  pages: write
  id-token: write
jobs:
  export:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: echo "\${{ github.server_url }}/\${{ github.repository }}"
`,
        'target.yml': `name: target
on: pull_request_target
permissions: {}
jobs:
  test:
    runs-on: ubuntu-latest
    permissions: write-all
    steps:
      - uses: actions/checkout@v4
        with:
          persist-credentials: false
          ref: \${{ github.event.pull_request.head.sha }}
      - run: echo "\${{ github.event.pull_request.title }}"
`,
        'typo.yml': `name: typo
on: pull_request
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          persist-credential: false
`,
      },
      `name: a
description: b
runs:
  using: composite
  steps:
    - shell: bash
      run: echo "\${{ inputs.x }}"
`,
    );
    const r = await lint(root);
    expect(r.code).toBe(1);
    const lines = r.output.trim().split('\n');
    const has = (re: RegExp) =>
      expect(
        lines.some((l) => re.test(l)),
        `${re} in\n${r.output}`,
      ).toBe(true);
    has(/^\.github\/workflows\/pages\.yml:4:\d+: the workflow grants write permissions to every job.*\[permissions\]$/);
    has(/^\.github\/workflows\/pages\.yml:11:\d+: `actions\/checkout` without `persist-credentials: false`/);
    has(/^\.github\/workflows\/pages\.yml:12:\d+: `run:` holds a `\$\{\{ \}\}` expression.*\[no-expression-in-run\]$/);
    has(/^\.github\/workflows\/target\.yml:2:\d+: `pull_request_target` runs with a write token/);
    has(/^\.github\/workflows\/target\.yml:7:\d+: `write-all`/);
    has(
      /^\.github\/workflows\/target\.yml:9:\d+: a pull_request_target workflow .* must not check out the head's code/,
    );
    has(
      /^\.github\/workflows\/target\.yml:13:\d+: "github\.event\.pull_request\.title" is potentially untrusted.*\[actionlint expression\]$/,
    );
    has(/^\.github\/workflows\/typo\.yml:\d+:\d+: no top-level `permissions:`/);
    has(/^\.github\/workflows\/typo\.yml:9:\d+: input "persist-credential" is not defined.*\[actionlint action\]$/);
    has(/^action\.yml:7:\d+: `run:` holds a `\$\{\{ \}\}` expression/);
    expect(lines.at(-1)).toMatch(/^lint-workflows: \d+ findings in 4 files$/);
  });
});

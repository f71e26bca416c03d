/** Writes the JSON and Markdown reports where the config says (the JSON one is `report-path`), and names their artifact. */
import type { Config, ShardSpec } from '../config/schema.js';
import type { RunReport } from '../model.js';
import { renderJson } from '../report/json.js';
import { renderMarkdown } from '../report/markdown.js';
import { writeReportFile } from '../report/write-file.js';

/** Writes both files. */
export function writeReports(config: Config, report: RunReport): void {
  for (const [path, text] of [
    [config.reportJson, renderJson(report)],
    [config.reportMarkdown, renderMarkdown(report)],
  ] as const)
    writeReportFile(path, text);
}

/**
 * The name of the artifact a gate job uploads its JSON report as (the `artifact-name` output):
 * `benchgate-report`, or `benchgate-report-K-of-N` for shard K, so the N jobs of one run never
 * collide and the publish workflow downloads them all with the pattern `benchgate-report*`.
 */
export function reportArtifactName(shard: ShardSpec | null): string {
  return shard === null ? 'benchgate-report' : `benchgate-report-${shard.k}-of-${shard.n}`;
}

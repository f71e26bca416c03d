/** The job summary (GITHUB_STEP_SUMMARY): the same Markdown as the comment, through @actions/core. */
import * as core from '@actions/core';

/** GitHub shows at most 1 MiB of summary per step; stay well under it. */
const SUMMARY_LIMIT = 1_000_000;

/** Appends `markdown` to the job summary; false when the runner gives no summary file. */
export async function writeJobSummary(markdown: string): Promise<boolean> {
  if (!process.env.GITHUB_STEP_SUMMARY) return false;
  const text =
    markdown.length <= SUMMARY_LIMIT
      ? markdown
      : markdown.slice(0, SUMMARY_LIMIT) + '\n\n… (cut to fit the job summary)\n';
  await core.summary.addRaw(text, true).write();
  core.summary.emptyBuffer();
  return true;
}

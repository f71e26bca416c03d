/**
 * The report files a `workflow_run` job downloaded: one report (a file), or a folder holding each
 * shard's artifact (actions/download-artifact with a `pattern` puts each in a subfolder named
 * after it). The folder is untrusted: only regular files are read, never through a symbolic link,
 * and only so many of them.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';

/** Most report files taken from one folder (a sharded run has at most 64 shards). */
export const MAX_REPORT_FILES = 128;

/** Folder levels searched below the given one (the artifact's own subfolder, and one more). */
const DEPTH = 2;

/** The downloaded reports cannot be read as such. */
export class ReportArtifactError extends UserError {}

/** `path` itself when it is a file; else every `*.json` regular file under the folder, sorted. */
export function listReportFiles(path: string, inputName = 'report-path'): string[] {
  let isDir: boolean;
  try {
    const st = lstatSync(path);
    if (st.isSymbolicLink()) throw new ReportArtifactError(`'${inputName}' ${path} is a symbolic link: not read`);
    isDir = st.isDirectory();
  } catch (e) {
    if (e instanceof ReportArtifactError) throw e;
    throw new ReportArtifactError(
      `'${inputName}' must name the downloaded report (or the folder of the shards' reports) but ${path} does not exist (did the gate's run upload its artifact?)`,
    );
  }
  if (!isDir) return [path];
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = join(dir, entry.name);
      if (entry.isDirectory() && depth < DEPTH) walk(full, depth + 1);
      else if (entry.isFile() && entry.name.endsWith('.json')) found.push(full);
      if (found.length > MAX_REPORT_FILES)
        throw new ReportArtifactError(`'${inputName}' ${path} holds more than ${MAX_REPORT_FILES} report files`);
    }
  };
  walk(path, 0);
  if (found.length === 0)
    throw new ReportArtifactError(
      `'${inputName}' ${path} holds no *.json report (did the gate's run upload its artifacts?)`,
    );
  return found;
}

/**
 * Whether a report file was written by a shard (`settings.shard` present). A file that is not such
 * JSON, or is too large, answers false and is then refused by the full check, naming what is wrong.
 */
export function isShardReport(path: string, maxBytes: number): boolean {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    return false;
  }
  try {
    if (fstatSync(fd).size > maxBytes) return false;
    const raw = JSON.parse(readFileSync(fd, 'utf8')) as { settings?: { shard?: unknown } } | null;
    return typeof raw?.settings?.shard === 'object' && raw.settings.shard !== null;
  } catch {
    return false;
  } finally {
    closeSync(fd);
  }
}

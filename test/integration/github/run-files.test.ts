/**
 * The data branch is written by every job with a write token, so its files are read as untrusted
 * data: a compressed bomb, a symbolic link, a file that is not a valid run or not the run its name
 * says is skipped with a warning naming it, and the history is rebuilt from the rest.
 */
import Database from 'better-sqlite3';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { rebuildHistory } from '../../../src/github/rebuild-history.js';
import {
  MAX_RUN_FILE_BYTES,
  readRunFile,
  RunFileError,
  runFilePath,
  writeRunFile,
} from '../../../src/github/run-files.js';
import type { RunReport } from '../../../src/model.js';
import { sampleRun } from '../../fixtures/store/sample-run.js';
import { tempDir } from '../../helpers.js';

const run = (id: string, minute: number): RunReport => ({
  ...sampleRun(id, [1e-3, 1.01e-3]),
  startedAt: `2026-11-21T10:${String(minute).padStart(2, '0')}:00.000Z`,
});

/** Writes `content` gzip-compressed at `rel` under `root`. */
function plant(root: string, rel: string, content: string | Buffer): void {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), gzipSync(content, { level: 1 }));
}

/** A well-formed run whose JSON inflates past the cap: the report, then megabytes of spaces. */
function bomb(report: RunReport): Buffer {
  const json = JSON.stringify(report);
  return Buffer.concat([
    Buffer.from(json.slice(0, -1)),
    Buffer.alloc(MAX_RUN_FILE_BYTES + 1024, 0x20),
    Buffer.from('}'),
  ]);
}

describe('run files read from the data branch', () => {
  it('refuses a file that inflates past the cap before inflating it all (a compressed bomb)', () => {
    const root = tempDir();
    const rel = runFilePath(run('bomb', 1));
    plant(root, rel, bomb(run('bomb', 1)));
    expect(() => readRunFile(root, rel)).toThrow(RunFileError);
    expect(() => readRunFile(root, rel)).toThrow(/inflates to more than 64 MiB/);
  });

  it('refuses a symbolic link, even to a valid run file', () => {
    const root = tempDir();
    const elsewhere = tempDir();
    const real = writeRunFile(elsewhere, run('linked', 1));
    const rel = runFilePath(run('linked', 1));
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    symlinkSync(join(elsewhere, real), join(root, rel));
    expect(() => readRunFile(root, rel)).toThrow(/is not a regular file/);
  });

  it('refuses a file whose name is not `<start>_<run id>.json.gz` of the run it holds, in its testbed folder', () => {
    const root = tempDir();
    const cases: [string, RunReport][] = [
      ['runs/x_a/b.json.gz', { ...run('x', 1), id: 'a/b' }], // the id would hold a '/'
      ['runs/tb1/anything_r1.json.gz', run('r1', 1)], // no start time
      ['runs/tb1/20261121T100100Z_a_r1.json.gz', run('r1', 1)], // the name says run id 'a_r1'
      ['runs/other/20261121T100100Z_r1.json.gz', run('r1', 1)], // another testbed's folder
    ];
    for (const [rel, report] of cases) {
      plant(root, rel, JSON.stringify(report));
      expect(() => readRunFile(root, rel), rel).toThrow(RunFileError);
    }
  });

  it('rebuildHistory skips every bad file with a warning naming it, and stores the good ones', () => {
    const root = tempDir();
    writeRunFile(root, run('good-1', 1));
    const missing = run('missing-field', 2) as Partial<RunReport>;
    delete missing.testbed;
    plant(root, runFilePath(run('missing-field', 2)), JSON.stringify(missing));
    plant(root, runFilePath(run('bomb', 3)), bomb(run('bomb', 3)));
    const elsewhere = tempDir();
    symlinkSync(join(elsewhere, writeRunFile(elsewhere, run('linked', 4))), join(root, runFilePath(run('linked', 4))));
    plant(root, 'runs/tb1/20261121T100500Z_garbage.json.gz', 'not json');
    writeRunFile(root, run('good-2', 6));

    const warnings: string[] = [];
    const db = join(tempDir(), 'h.db');
    const r = rebuildHistory(root, db, (m) => warnings.push(m));
    expect(r).toMatchObject({ files: 6, added: 2 });
    expect(r.skipped).toEqual([
      'runs/tb1/20261121T100200Z_missing-field.json.gz',
      'runs/tb1/20261121T100300Z_bomb.json.gz',
      'runs/tb1/20261121T100400Z_linked.json.gz',
      'runs/tb1/20261121T100500Z_garbage.json.gz',
    ]);
    expect(warnings).toHaveLength(4);
    for (const [i, file] of r.skipped.entries()) expect(warnings[i]).toContain(file);
    expect(warnings[0]).toMatch(/testbed/);
    const ids = new Database(db, { readonly: true }).prepare('SELECT id FROM run ORDER BY rowid').all();
    expect(ids).toEqual([{ id: 'good-1' }, { id: 'good-2' }]);
  });

  it('refuses to write a run too large to be read back', () => {
    const huge = run('huge', 1);
    huge.settings = { padding: 'x'.repeat(MAX_RUN_FILE_BYTES) };
    expect(() => writeRunFile(tempDir(), huge)).toThrow(/larger than 64 MiB/);
  });
});

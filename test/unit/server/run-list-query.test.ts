/** The run list's query: each filter and the limit read, and what is refused (400, naming it). */
import { describe, expect, it } from 'vitest';
import { HttpError } from '../../../src/server/http.js';
import { RUN_LIST_LIMIT, runListQuery } from '../../../src/server/resources/runs.js';

const read = (query: string) => runListQuery(new URLSearchParams(query));

describe('runListQuery', () => {
  it('reads no query as every run, up to the list limit', () => {
    expect(read('')).toEqual({ filter: {}, limit: RUN_LIST_LIMIT });
  });

  it('reads each filter and the limit', () => {
    expect(read('kind=history&branch=release/1.x&testbed=8f3a9c2e01b4d7aa&kept=true&limit=50')).toEqual({
      filter: { kind: 'history', branch: 'release/1.x', testbedKey: '8f3a9c2e01b4d7aa', kept: true },
      limit: 50,
    });
    expect(read('kind=compare&limit=200')).toEqual({ filter: { kind: 'compare' }, limit: 200 });
    expect(read(`branch=${'b'.repeat(200)}`).filter.branch).toHaveLength(200);
  });

  it.each([
    ['kind=History', 'kind must be history or compare but got "History"'],
    ['limit=-1', 'limit must be an integer from 1 to 200 but got "-1"'],
    ['limit=1e2', 'limit must be an integer from 1 to 200 but got "1e2"'],
    ['limit=0050', 'limit must be an integer from 1 to 200 but got "0050"'],
    ['limit=99999', 'limit must be an integer from 1 to 200 but got "99999"'],
    ['kept=false', 'kept must be true (runs that kept a profile) but got "false"'],
    ['testbed=', 'testbed must be a testbed\'s fingerprint (its key) (1 to 200 characters) but got ""'],
    ['branch=a%09b', 'branch must be a branch name (1 to 200 characters) but got "a\\tb"'],
    ['project=1', 'unknown parameter "project": the run list takes kind, branch, testbed, kept, limit'],
    ['limit=5&limit=6', 'limit is given more than once'],
  ])('refuses %s with a 400 naming it', (query, message) => {
    let error: unknown;
    try {
      read(query);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(400);
    expect((error as HttpError).message).toBe(message);
  });
});

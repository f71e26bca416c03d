/**
 * How a history-mode regression without a kept profile names the head's top functions: by self
 * time per call, or by bytes allocated per call, largest first, with their places.
 */
import { describe, expect, it } from 'vitest';
import { topAllocations, topSelfTimes } from '../../../src/profile/head-profiles.js';

describe('the head’s top functions in a note', () => {
  it('lists the largest allocations first, in B, kB, MB and GB per call', () => {
    const counts = [
      { function: 'small', file: 'suite.mjs', line: 9, perCall: 640 },
      { function: 'makeRows', file: 'suite.mjs', line: 2, perCall: 745_572.05 },
      { function: '(native code, called from join)', file: 'suite.mjs', line: 4, perCall: 1_234_567 },
      { function: 'huge', file: '', line: 0, perCall: 2.5e9 },
      { function: 'ownRows', file: 'suite.mjs', line: 0, perCall: 29_540 },
      { function: 'sixth', file: 'suite.mjs', line: 11, perCall: 1 },
    ];
    expect(topAllocations(counts)).toBe(
      'huge 2.5 GB, (native code, called from join) (suite.mjs:4) 1.2 MB, makeRows (suite.mjs:2) 746 kB, ownRows (suite.mjs) 30 kB, small (suite.mjs:9) 640 B',
    );
    expect(topAllocations([])).toBe('no function was sampled');
  });

  it('lists self times in ms or µs per call', () => {
    expect(
      topSelfTimes([
        { function: 'leafWork', file: 'suite.mjs', line: 2, msPerCall: 5.83 },
        { function: 'ownWork', file: 'suite.mjs', line: 4, msPerCall: 0.0042 },
      ]),
    ).toBe('leafWork (suite.mjs:2) 5.8 ms, ownWork (suite.mjs:4) 4.2 µs');
  });
});

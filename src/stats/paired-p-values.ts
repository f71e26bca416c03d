/**
 * The two one-sided p-values of a paired comparison (greater = head slower), by the chosen test.
 */
import { cappedSignedRank } from './capped-signed-rank.js';
import { signFlipTest } from './sign-flip-test.js';
import { wilcoxonSignedRank } from './wilcoxon-signed-rank.js';

/**
 * Which paired test gives the p-values: `cappedRank` (signed ranks with scores capped at a third
 * of the rounds, compare's test: ./capped-signed-rank.ts), `wilcoxon` or `signFlip`.
 */
export type PairedTest = 'cappedRank' | 'wilcoxon' | 'signFlip';

/** The test compare decides with, and every paired decision's default. */
export const DEFAULT_PAIRED_TEST: PairedTest = 'cappedRank';

/** One-sided p-values of `d` (greater = head slower), raw, by the chosen test. */
export function pairedPValues(
  d: readonly number[],
  test: PairedTest = DEFAULT_PAIRED_TEST,
  mc: { iterations?: number; seed?: number } = {},
): { greater: number; less: number; method: string } {
  if (test === 'signFlip') {
    return {
      greater: signFlipTest(d, { ...mc, alternative: 'greater' }) ?? 1,
      less: signFlipTest(d, { ...mc, alternative: 'less' }) ?? 1,
      method: d.length <= 20 ? 'exact' : 'monte-carlo',
    };
  }
  if (test === 'cappedRank') {
    const r = cappedSignedRank(d);
    return { greater: r.greater, less: r.less, method: r.method };
  }
  const g = wilcoxonSignedRank(d, { alternative: 'greater' });
  const l = wilcoxonSignedRank(d, { alternative: 'less' });
  // All zeros: head and base measured identical, no evidence either way.
  return { greater: g?.pValue ?? 1, less: l?.pValue ?? 1, method: g?.method ?? 'all-zero' };
}

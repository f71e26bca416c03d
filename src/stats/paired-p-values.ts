/**
 * The two one-sided p-values of a paired comparison (greater = head slower), by the chosen test.
 */
import { signFlipTest } from './sign-flip-test.js';
import { wilcoxonSignedRank } from './wilcoxon-signed-rank.js';

/** Which paired test gives the p-values. */
export type PairedTest = 'wilcoxon' | 'signFlip';

/** One-sided p-values of `d` (greater = head slower), raw, by the chosen test. */
export function pairedPValues(
  d: readonly number[],
  test: PairedTest = 'wilcoxon',
  mc: { iterations?: number; seed?: number } = {},
): { greater: number; less: number; method: string } {
  if (test === 'signFlip') {
    return {
      greater: signFlipTest(d, { ...mc, alternative: 'greater' }) ?? 1,
      less: signFlipTest(d, { ...mc, alternative: 'less' }) ?? 1,
      method: d.length <= 20 ? 'exact' : 'monte-carlo',
    };
  }
  const g = wilcoxonSignedRank(d, { alternative: 'greater' });
  const l = wilcoxonSignedRank(d, { alternative: 'less' });
  // All zeros: head and base measured identical, no evidence either way.
  return { greater: g?.pValue ?? 1, less: l?.pValue ?? 1, method: g?.method ?? 'all-zero' };
}


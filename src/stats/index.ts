/**
 * benchgate's statistics: pure functions over number[], one concept a file (see README.md).
 */
export type { Alternative } from './types.js';
export { normalCdf, normalSf } from './normal-cdf.js';
export { normalQuantile } from './normal-quantile.js';
export { studentTCdf } from './student-t-cdf.js';
export { studentTQuantile } from './student-t-quantile.js';
export { signedRankDistribution, signedRankCdf, signedRankSf } from './signed-rank-distribution.js';
export { wilcoxonSignedRank, type WilcoxonOptions, type WilcoxonResult, type WilcoxonMethod } from './wilcoxon-signed-rank.js';
export { signFlipTest, type SignFlipOptions } from './sign-flip-test.js';
export { hodgesLehmann } from './hodges-lehmann.js';
export { hodgesLehmannInterval, type HodgesLehmannInterval } from './hodges-lehmann-interval.js';
export { holm } from './holm.js';
export { benjaminiHochberg } from './benjamini-hochberg.js';
export { bootstrapMedianInterval, type BootstrapOptions, type MedianInterval } from './bootstrap-median-interval.js';
export { pairedPValues, DEFAULT_PAIRED_TEST, type PairedTest } from './paired-p-values.js';
export { decidePaired, type PairedDecisionOptions } from './decide-paired.js';
export { decideSuite, type SuiteDecisionOptions, type Correction } from './decide-suite.js';
export { cappedSignedRank, cappedCritical, cappedScores, CAP_SHARE, type CappedSignedRankResult } from './capped-signed-rank.js';
export { detectableChangePct, type DetectableChangeOptions } from './detectable-change.js';
export { withDetectableChange } from './with-detectable-change.js';
export { defaultThresholdPct, MAD_TO_SD, type DefaultThresholdOptions } from './default-threshold-pct.js';
export { historyVerdict, type HistoryOptions } from './history-verdict.js';
export { eDivisive, type EDivisiveOptions, type ChangePoint } from './e-divisive.js';

/**
 * Small shared types of the statistics layer.
 */

/** Which direction a one-sample test looks in: `greater` asks "is the location above zero?". */
export type Alternative = 'two-sided' | 'greater' | 'less';

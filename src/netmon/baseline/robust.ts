/**
 * @module Robust statistics for volume anomalies: median, median absolute deviation (MAD) and the
 * modified z-score of Iglewicz and Hoaglin, z = 0.6745 (x - median) / MAD, whose usual cut-off is 3.5.
 * Median and MAD ignore the few huge hours a backup or a study transfer produces, where mean and
 * standard deviation would be dragged along by them. When more than half the samples are equal the
 * MAD is 0; then the mean absolute deviation scaled by 1.253314 (its ratio to the standard deviation
 * for normal data) stands in, as IBM SPSS and the literature do. Every result carries its inputs so
 * an alert can show how the number came about.
 */

/** 0.6745 = the 0.75 quantile of the standard normal: makes MAD comparable to a standard deviation. */
export const MAD_SCALE = 0.6745;
/** sqrt(pi/2): mean absolute deviation -> standard deviation for normal data. */
export const MEAN_AD_SCALE = 1.253314;

/** Median of the values (the mean of the two middle ones for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Median absolute deviation from `center` (the median unless given). */
export function mad(values: readonly number[], center = median(values)): number {
  return median(values.map((v) => Math.abs(v - center)));
}

export function meanAbsoluteDeviation(values: readonly number[], center: number): number {
  if (values.length === 0) return Number.NaN;
  let sum = 0;
  for (const v of values) sum += Math.abs(v - center);
  return sum / values.length;
}

export interface RobustScore {
  value: number;
  median: number;
  mad: number;
  /** 'mad': 0.6745 (x - median) / MAD; 'mean-ad': (x - median) / (1.253314 mean AD); 'degenerate': every sample equals the median */
  method: 'mad' | 'mean-ad' | 'degenerate';
  meanAbsoluteDeviation: number;
  /** modified z-score; +/-Infinity when every sample equals the median and the value does not */
  z: number;
  samples: number;
}

/** The modified z-score of `value` against `history`, with the figures that produced it. */
export function modifiedZScore(value: number, history: readonly number[]): RobustScore {
  const med = median(history);
  const m = mad(history, med);
  const meanAd = meanAbsoluteDeviation(history, med);
  const base = { value, median: med, mad: m, meanAbsoluteDeviation: meanAd, samples: history.length };
  if (m > 0) return { ...base, method: 'mad', z: (MAD_SCALE * (value - med)) / m };
  if (meanAd > 0) return { ...base, method: 'mean-ad', z: (value - med) / (MEAN_AD_SCALE * meanAd) };
  const z = value === med ? 0 : value > med ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  return { ...base, method: 'degenerate', z };
}

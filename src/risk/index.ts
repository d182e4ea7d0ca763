/** @module Public surface of clinical risk scoring (pure, no I/O): score, recommendation, rubric, rollups, portfolio views. */
export * from './model.js';
export { RISK_MODEL_VERSION, RISK_WEIGHTS } from './weights.js';
export { scoreFinding, bandOf } from './score.js';
export { selectCvss, vectorMetrics, type SelectedCvss, type ImpactLevel } from './cvss.js';
export { recommendAction, type RecommendInput } from './recommend.js';
export { COMPENSATING_CONTROLS, compensatingControl, type CompensatingControl } from './controls.js';
export {
  RUBRIC_QUESTIONS,
  RUBRIC_QUESTION_IDS,
  rubricQuestion,
  type RubricQuestion,
  type RubricAnswer,
  type RubricCategory,
  type RubricMetric,
} from './rubric-questions.js';
export { validateRubricAnswers, assertValidRubricAnswers, assessRubric, type RubricIssue, type RubricValidation, type RubricAssessment } from './rubric.js';
export { rollupRisk, ROLLUP_KEYS, ROLLUP_DIMENSIONS, emptyBandCounts, compareByRisk, type RiskRollup, type RollupBy, type RollupOptions } from './rollup.js';
export {
  severityCounts,
  kevExposure,
  epssDistribution,
  topRisks,
  type SeverityCounts,
  type KevExposure,
  type EpssBucket,
  type EpssDistributionOptions,
  type TopRisk,
  type TopRisksOptions,
} from './views.js';

/** @module Public surface of netmon detections: the rule contract, the rules, the engine, the policy and its validator, alert mapping. */
export * from './model.js';
export { DETECTION_RULES } from './rules/index.js';
export * from './rules/index.js';
export { DetectionEngine, type DetectionEngineOptions, type DetectionStats, type RuleStatus } from './engine.js';
export * from './policy.js';
export { parsePolicy, parsePolicyText, type PolicyParseOptions } from './policy-validate.js';
export { Topology, isClinical, type AddressInfo } from './topology.js';
export { addressScope, cidrContains, formatIp, isGroupScope, parseCidr, parseIp, scopeOf, type AddressScope, type Cidr, type IpVersion, type ParsedIp } from './addresses.js';
export { INTERNET, UNZONED, ZoneTraffic, conduitCarries, judgeFlow, type SegmentationVerdict, type VerdictReason, type ZonePairTraffic } from './segmentation.js';
export { detectionToAlertInput, type NetmonAlertInput } from './alerts.js';

/** @module Public surface of netmon baselines: per-device communication profiles, their JSON snapshots, robust statistics. */
export * from './model.js';
export { BaselineStore, type FlowVolume, type ServiceRef } from './store.js';
export { BASELINE_FORMAT, BASELINE_VERSION, baselineFromJson, baselineToJson, checkBaselineOptions, deviceToJson, type BaselineSnapshot, type DeviceBaselineJson } from './snapshot.js';
export { MAD_SCALE, MEAN_AD_SCALE, mad, meanAbsoluteDeviation, median, modifiedZScore, type RobustScore } from './robust.js';
export { JsonChecker, parseJsonText, ptr, type JsonProblem, type NumberRule } from './json-input.js';
export { LruMap } from './lru.js';
export { addToBucket, newVolume, restoreVolume, volumeBytes, volumePackets, type VolumeSeries } from './volume.js';

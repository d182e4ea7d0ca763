/** @module Public surface of flow tracking: flows, client/server roles, TCP reassembly, expiry. */
export { FlowTracker } from './tracker.js';
export { TcpHalfStream, type HalfOutput, type HalfLimits } from './tcp-stream.js';
export { DEFAULT_FLOW_LIMITS, type FlowLimits, type FlowTrackerOptions, type FlowTrackerStats, type BufferBudget } from './types.js';

/** @module Public surface of core: primitives every capability may use. */
export * from './errors.js';
export * from './ids.js';
export * from './clock.js';
export * from './actor.js';
export * from './logger.js';
export * from './json.js';

/**
 * @module Test helper: run a parse that must fail and return its SbomError.
 */
import { SbomError } from '../errors.js';

export function sbomErrorOf(fn: () => unknown): SbomError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SbomError) return e;
    throw e;
  }
  throw new Error('expected an SbomError, but parsing succeeded');
}

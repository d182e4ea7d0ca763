/**
 * @module The versioned plug-in contract every SBOM parser implements, and the bounds every
 * parser enforces on untrusted input.
 */
import type { Sbom } from '../model.js';

export interface ParseOptions {
  /** name used in error locations; never opened */
  file?: string;
}

export interface SbomParser {
  /** stable identifier recorded in `Sbom.parser` as `id@version` */
  readonly id: string;
  /** bumped whenever the mapping changes, so stored SBOMs can be re-analysed selectively */
  readonly version: string;
  /** cheap check on the first few KiB of the text (and the file name when known) */
  detect(head: string, filename?: string): boolean;
  /** full parse; throws only SbomError */
  parse(text: string, options?: ParseOptions): Sbom;
}

export const SBOM_LIMITS = {
  /** UTF-8 bytes of input */
  maxBytes: 256 * 1024 * 1024,
  /** JSON nesting depth (each nested CycloneDX component costs two levels) */
  maxJsonDepth: 160,
  /** nesting of components inside components */
  maxComponentNesting: 64,
  maxComponents: 1_000_000,
  /** bytes handed to detect() */
  headBytes: 4096,
} as const;

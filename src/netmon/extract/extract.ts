/**
 * @module An extraction from start to end: the planning read (what to write, its size, refusals),
 * then the file itself as a stream of chunks (the second read). Two reads of the capture, each
 * stopping after the last frame wanted, rather than one that would have to decide pcap or pcapng
 * and accept the limits before seeing the packets: a refusal comes before any byte is written, and
 * the size is known up front (an HTTP Content-Length).
 */
import { EXTRACT_MEDIA_TYPES, type CapturePart, type ExtractSummary, type PacketSelection } from './model.js';
import { planExtraction, type PlanOptions } from './plan.js';
import { writeExtraction } from './write.js';

export interface Extraction {
  summary: ExtractSummary;
  mediaType: string;
  /** the file, in chunks of about 1 MiB; reads the capture again (once per call) */
  chunks(): AsyncGenerator<Uint8Array>;
}

/** Plans the extraction of `sel` from the capture made of `parts` (throws the typed refusals). */
export async function prepareExtraction(parts: readonly CapturePart[], sel: PacketSelection, opts: PlanOptions): Promise<Extraction> {
  const plan = await planExtraction(parts, sel, opts);
  return { summary: plan.summary, mediaType: EXTRACT_MEDIA_TYPES[plan.summary.format], chunks: () => writeExtraction(parts, plan) };
}

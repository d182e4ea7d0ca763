/**
 * @module Reads one part of a capture packet by packet for an extraction pass, until the visitor has
 * seen enough. Damage in the bytes (or a read that fails) ends the part as a fault, the packets
 * before it kept, as a report reads it; a DomainError (the file changed) ends the extraction.
 */
import { CaptureParser, isCaptureError, type CapturedPacket } from '../capture/index.js';
import { isDomainError } from '../../core/index.js';
import type { CapturePart, ExtractFault } from './model.js';

/** Looks at one packet (its bytes are parser.packetBytes[packetStart, packetEnd)); false: stop reading the part. */
export type PacketVisitor = (packet: CapturedPacket, parser: CaptureParser) => boolean;

export interface PartRead {
  /** packets of the part read (the last one is the part's packet count unless `stopped`) */
  packets: number;
  stopped: boolean;
  fault?: ExtractFault;
}

/**
 * Yields after each chunk read (a writer hands on its output there); `read` says how it went. Each
 * chunk is done with before the next is read: visitors copy what they keep.
 */
export async function* readPart(part: CapturePart, visit: PacketVisitor, read: PartRead): AsyncGenerator<void> {
  let stop = false;
  const parser: CaptureParser = new CaptureParser(
    (p) => {
      if (stop) return;
      // a capture record counts only the packets it read; a file grown since is not read past them
      if (part.packets !== undefined && p.frame > part.packets) {
        stop = true;
        return;
      }
      read.packets = p.frame;
      if (!visit(p, parser)) stop = true;
    },
    { file: part.name },
  );
  try {
    for await (const chunk of part.open()) {
      parser.push(chunk);
      yield;
      if (stop) break;
    }
    if (!stop) parser.end();
  } catch (e) {
    if (isDomainError(e) && !isCaptureError(e)) throw e;
    // Damage past what was wanted does not matter.
    if (stop) return;
    read.fault = isCaptureError(e)
      ? { code: e.code, message: e.message, byteOffset: e.byteOffset, file: part.name }
      : { code: 'capture.unreadable', message: `${part.name} cannot be read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, byteOffset: parser.bytesRead, file: part.name };
  } finally {
    read.stopped = stop;
  }
}

/**
 * @module The capture ingest pipeline: bytes -> packets -> decoded packets -> flows -> stream
 * consumers (protocol dissectors), in one synchronous pass per chunk read, with counters for the run.
 * Input is one byte stream (file, stdin) or a sequence of capture files (a rotating directory); flows
 * continue across files, frame numbers run on across files so each is unique within the ingest.
 */
import { CaptureParser, fileSource, isCaptureError, type ByteSource, type CaptureFileSource, type CapturedPacket, type NameRecord } from '../capture/index.js';
import { isDecodeError, PacketDecoder, type DecodedPacket, type FragmentLimits, type FragmentStats } from '../decode/index.js';
import { FlowTracker, type FlowTrackerOptions, type FlowTrackerStats } from '../flows/index.js';
import type { FrameMeta } from '../model.js';

export type CaptureInput = { bytes: ByteSource; name?: string } | { files: AsyncIterable<CaptureFileSource> | Iterable<CaptureFileSource> };

export interface ReadCaptureOptions extends FlowTrackerOptions {
  /** every successfully decoded packet, before flow tracking (ARP, ICMP, non-flow observers); both objects are reused */
  onPacket?: (decoded: DecodedPacket, packet: CapturedPacket, meta: FrameMeta) => void;
  onNameRecord?: (record: NameRecord) => void;
  /** a new file of a multi-file input starts; `firstFrame` is the ingest-wide number of its first packet */
  onFile?: (path: string, firstFrame: number) => void;
  maxPacketBytes?: number;
  fragments?: Partial<FragmentLimits>;
  signal?: AbortSignal;
}

export interface CaptureFault {
  code: string;
  message: string;
  byteOffset: number;
  file?: string;
}

export interface CaptureStats {
  files: number;
  bytes: number;
  packets: number;
  /** packets decoded without error (TCP/UDP or not) */
  decoded: number;
  /** packets handed to flow tracking (TCP/UDP) */
  flowPackets: number;
  decodeErrors: Record<string, number>;
  /** packets per link type number */
  linkTypes: Record<string, number>;
  firstTs?: number;
  lastTs?: number;
  flows: FlowTrackerStats;
  fragments: FragmentStats;
  consumerErrors: number;
  /** damage that stopped reading a stream (the packets before it were processed) */
  captureErrors: CaptureFault[];
  elapsedMs: number;
}

export async function readCaptureFile(path: string, opts: ReadCaptureOptions = {}): Promise<CaptureStats> {
  return readCapture({ bytes: fileSource(path), name: path }, opts);
}

export async function readCapture(input: CaptureInput, opts: ReadCaptureOptions = {}): Promise<CaptureStats> {
  const started = performance.now();
  const decoder = new PacketDecoder({ fragments: opts.fragments });
  const tracker = new FlowTracker(opts);
  const decodeErrors = new Map<string, number>();
  const linkTypes = new Map<number, number>();
  const stats = {
    files: 0, bytes: 0, packets: 0, decoded: 0, flowPackets: 0,
    firstTs: undefined as number | undefined, lastTs: undefined as number | undefined,
    captureErrors: [] as CaptureFault[],
  };
  let frameBase = 0;
  const onCaptured = (pkt: CapturedPacket) => {
    stats.packets++;
    linkTypes.set(pkt.linkType, (linkTypes.get(pkt.linkType) ?? 0) + 1);
    if (stats.firstTs === undefined) stats.firstTs = pkt.ts;
    stats.lastTs = pkt.ts;
    const r = decoder.decode(pkt.linkType, pkt.data, pkt.ts);
    if (isDecodeError(r)) {
      decodeErrors.set(r.code, (decodeErrors.get(r.code) ?? 0) + 1);
      return;
    }
    stats.decoded++;
    const meta: FrameMeta = { frame: frameBase + pkt.frame, ts: pkt.ts };
    opts.onPacket?.(r, pkt, meta);
    if (tracker.push(r, meta, pkt.origLen)) stats.flowPackets++;
  };

  const readStream = async (bytes: ByteSource, file: string | undefined) => {
    stats.files++;
    const parser = new CaptureParser(onCaptured, { maxPacketBytes: opts.maxPacketBytes, file, onNameRecord: opts.onNameRecord });
    try {
      for await (const chunk of bytes) {
        if (opts.signal?.aborted) break;
        parser.push(chunk);
      }
      if (!opts.signal?.aborted) parser.end();
    } catch (e) {
      if (!isCaptureError(e)) throw e;
      stats.captureErrors.push({ code: e.code, message: e.message, byteOffset: e.byteOffset, ...(file === undefined ? {} : { file }) });
    } finally {
      stats.bytes += parser.bytesRead;
      frameBase += parser.packetCount;
    }
  };

  if ('bytes' in input) {
    await readStream(input.bytes, input.name);
  } else {
    for await (const f of input.files) {
      if (opts.signal?.aborted) break;
      opts.onFile?.(f.path, frameBase + 1);
      await readStream(f.chunks, f.path);
    }
  }
  tracker.end();
  return {
    ...stats,
    decodeErrors: Object.fromEntries(decodeErrors),
    linkTypes: Object.fromEntries([...linkTypes].map(([k, v]) => [String(k), v])),
    flows: { ...tracker.stats },
    fragments: { ...decoder.fragments.stats },
    consumerErrors: tracker.consumerErrors,
    elapsedMs: performance.now() - started,
  };
}

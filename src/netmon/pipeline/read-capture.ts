/**
 * @module The capture ingest pipeline: bytes -> packets -> decoded packets -> flows -> stream
 * consumers (protocol dissectors), in one synchronous pass per chunk read, with counters for the run.
 * Input is one byte stream (file, stdin) or a sequence of capture files (a rotating directory); flows
 * continue across files, frame numbers run on across files so each is unique within the ingest.
 * Each chunk is done with before the next is asked for, and nothing fed keeps a view of one (stream
 * consumers copy what they keep), so a source may refill one buffer (recycledFileSource).
 */
import { CaptureParser, isCaptureError, recycledFileSource, type ByteSource, type CaptureFileSource, type CapturedPacket, type NameRecord } from '../capture/index.js';
import { isDecodeError, PacketDecoder, type DecodedPacket, type FragmentLimits, type FragmentStats } from '../decode/index.js';
import { FlowTracker, type FlowTrackerOptions, type FlowTrackerStats } from '../flows/index.js';
import type { FlowSummary } from '../model.js';

export type CaptureInput = { bytes: ByteSource; name?: string } | { files: AsyncIterable<CaptureFileSource> | Iterable<CaptureFileSource> };

export interface ReadCaptureOptions extends FlowTrackerOptions {
  /**
   * every successfully decoded packet, before flow tracking (ARP, ICMP, non-flow observers); both
   * objects are reused; `frame` is the read-wide frame number (the packet's own counts per file)
   */
  onPacket?: (decoded: DecodedPacket, packet: CapturedPacket, frame: number) => void;
  onNameRecord?: (record: NameRecord) => void;
  /** a new file of a multi-file input starts; `firstFrame` is the ingest-wide number of its first packet */
  onFile?: (path: string, firstFrame: number) => void;
  maxPacketBytes?: number;
  fragments?: Partial<FragmentLimits>;
  signal?: AbortSignal;
  /**
   * called after each chunk is read (never inside one), and after each file of a multi-file input,
   * with the read so far; reading waits for a promise it returns. Flows and their consumers carry on
   * across the call: a caller records what was read up to here (a checkpoint of a long-running
   * capture) without ending anything.
   */
  between?: (cursor: CaptureCursor) => Promise<void> | undefined;
}

/** Where a read stands, for `between`: cumulative stats and the packets since the last segment mark. */
export interface CaptureCursor {
  /** the stats of everything read so far (cumulative; flow counters as of now) */
  stats(): CaptureStats;
  /** time (µs) of the last packet read, NaN before the first */
  readonly lastTs: number;
  /** time (µs) of the first packet since the last startSegment() (or the start), NaN if none */
  readonly segmentFirstTs: number;
  /** packets read since the last startSegment() (or the start) */
  readonly segmentPackets: number;
  /** the ingest-wide frame number the next packet will have */
  readonly nextFrame: number;
  /** files of a multi-file input read to their end so far */
  readonly filesDone: number;
  /** marks a new segment: segmentFirstTs and segmentPackets count from the next packet */
  startSegment(): void;
  /** the flows still open, as they stand (FlowTracker.openFlowSummaries) */
  openFlows(): FlowSummary[];
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
  // readCapture is done with each chunk before it asks for the next, so the read buffers are recycled.
  return readCapture({ bytes: recycledFileSource(path), name: path }, opts);
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
  // First and last packet time, and the first of the current segment (CaptureCursor). A typed array,
  // because storing a timestamp (a double) in the stats object or in a closure variable would
  // allocate a number box on every packet.
  const tsRange = new Float64Array([NaN, NaN, NaN]);
  let segmentPackets = 0;
  let frameBase = 0;
  // packets and bytes of the stream being read so far, as of the last `between` (the cursor's view)
  let streamPackets = 0;
  let streamBytes = 0;
  let filesDone = 0;
  // Packets of one link type come in long runs: count the run, and touch the map only when it changes.
  let runLinkType = -1;
  let runPackets = 0;
  const endRun = () => {
    if (runPackets > 0) linkTypes.set(runLinkType, (linkTypes.get(runLinkType) ?? 0) + runPackets);
    runPackets = 0;
  };
  const onCaptured = (pkt: CapturedPacket, parser: CaptureParser) => {
    stats.packets++;
    if (pkt.linkType !== runLinkType) {
      endRun();
      runLinkType = pkt.linkType;
    }
    runPackets++;
    if (stats.packets === 1) tsRange[0] = pkt.ts;
    if (segmentPackets++ === 0) tsRange[2] = pkt.ts;
    tsRange[1] = pkt.ts;
    // Decoded in place in the chunk read: no view of the frame unless a consumer asks for one.
    const r = decoder.decodeCaptured(pkt, parser.packetBytes, parser.packetStart, parser.packetEnd);
    if (isDecodeError(r)) {
      decodeErrors.set(r.code, (decodeErrors.get(r.code) ?? 0) + 1);
      return;
    }
    stats.decoded++;
    const frame = frameBase + pkt.frame;
    opts.onPacket?.(r, pkt, frame);
    if (tracker.pushCaptured(r, frame, pkt)) stats.flowPackets++;
  };

  /** the stats so far; at the end, of the whole read */
  const snapshot = (): CaptureStats => {
    endRun();
    return {
      ...stats,
      bytes: stats.bytes + streamBytes,
      captureErrors: [...stats.captureErrors],
      ...(stats.packets > 0 ? { firstTs: tsRange[0], lastTs: tsRange[1] } : {}),
      decodeErrors: Object.fromEntries(decodeErrors),
      linkTypes: Object.fromEntries([...linkTypes].map(([k, v]) => [String(k), v])),
      flows: { ...tracker.stats },
      fragments: { ...decoder.fragments.stats },
      consumerErrors: tracker.consumerErrors,
      elapsedMs: performance.now() - started,
    };
  };
  const between = opts.between;
  const cursor: CaptureCursor = {
    stats: snapshot,
    get lastTs() {
      return tsRange[1] as number;
    },
    get segmentFirstTs() {
      return segmentPackets === 0 ? NaN : (tsRange[2] as number);
    },
    get segmentPackets() {
      return segmentPackets;
    },
    get nextFrame() {
      return frameBase + streamPackets + 1;
    },
    get filesDone() {
      return filesDone;
    },
    startSegment() {
      segmentPackets = 0;
    },
    openFlows: () => tracker.openFlowSummaries(),
  };

  const readStream = async (bytes: ByteSource, file: string | undefined) => {
    stats.files++;
    const p: CaptureParser = new CaptureParser((pkt) => onCaptured(pkt, p), { maxPacketBytes: opts.maxPacketBytes, file, onNameRecord: opts.onNameRecord });
    try {
      for await (const chunk of bytes) {
        if (opts.signal?.aborted) break;
        p.push(chunk);
        if (between !== undefined) {
          streamPackets = p.packetCount;
          streamBytes = p.bytesRead;
          const waiting = between(cursor);
          if (waiting !== undefined) await waiting;
        }
      }
      if (!opts.signal?.aborted) p.end();
    } catch (e) {
      if (!isCaptureError(e)) throw e;
      stats.captureErrors.push({ code: e.code, message: e.message, byteOffset: e.byteOffset, ...(file === undefined ? {} : { file }) });
    } finally {
      stats.bytes += p.bytesRead;
      frameBase += p.packetCount;
      streamPackets = streamBytes = 0;
    }
  };

  if ('bytes' in input) {
    await readStream(input.bytes, input.name);
  } else {
    for await (const f of input.files) {
      if (opts.signal?.aborted) break;
      opts.onFile?.(f.path, frameBase + 1);
      await readStream(f.chunks, f.path);
      filesDone++;
      if (between !== undefined) {
        const waiting = between(cursor);
        if (waiting !== undefined) await waiting;
      }
    }
  }
  tracker.end();
  return snapshot();
}

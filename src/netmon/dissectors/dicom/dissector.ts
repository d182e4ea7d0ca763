/**
 * @module DICOM upper layer (PS3.8) dissector: associations (RQ/AC/RJ), release, abort, DIMSE commands with
 * status, and a per-association summary. Detected from the A-ASSOCIATE PDU header, on any port, or, for an
 * association seen from the middle, from its P-DATA-TF PDUs (mid-stream.ts); on ports 104 and 11112 also
 * when those lie past the first 4 KiB of a direction (late sync, contract.ts). After a gap a direction reads
 * on from the next PDU its mid-stream rules prove (support/gap-resync.ts).
 */
import { SKIP_REST, type Direction, type FlowKey, type FrameMeta, type ObservationSink, type StreamConsumer } from '../../model.js';
import type { ConsumerOptions, Dissector, LateSyncOptions } from '../contract.js';
import type { ByteReader } from '../support/bytes.js';
import { flowEmitter, type Emit } from '../support/emitter.js';
import { DEFAULT_RESYNC_SCAN_LIMIT, DirectionGaps, flushBoth, gapSummary, streamAfterGap } from '../support/gap-resync.js';
import { contentChosenScan, LateSyncFlow, type ScanningConsumer } from '../support/late-sync.js';
import type { ScanProgress, SlidingScan } from '../support/stream-start.js';
import { parseAssociate, type RqPresentationContext } from './associate.js';
import { detect, DirectionEvents, DirectionStart, type DirectionOwner } from './consumer-directions.js';
import { parseCommandSet, statusCategory, type StatusCategory } from './dimse.js';
import { LATE_SYNC_OVERLAP } from './mid-stream.js';
import { abortReasonName, abortSourceName, rejectReasonName, rejectResultName, rejectSourceName } from './names.js';
import { associateAcFields, associateRqFields, dimseFields } from './observations.js';
import { PduStream } from './pdu-stream.js';
import { sopClassInfo } from './sop-classes.js';
import { describeStatus } from './status-names.js';

const ID = 'dicom';
// 1.1: dicom.dimse gained SOP instances, event/action types, sub-operations, originator, error comment
// 1.2: dicom.dimse gained statusName/statusMeaning; statusCategory is `unknown` for codes outside PS3.7 Annex C
// 1.3: association summary gained responses and problem statuses
// 1.4: associations seen from the middle (no A-ASSOCIATE) are read from their P-DATA-TF; the summary says so
// 1.5: late sync on 104/11112 (a sync point past the first 4 KiB): `lateSync` fields, dicom.late-sync-given-up;
//      on those ports a direction of an association content chose also keeps looking past its first 4 KiB
// 1.6: after a gap a direction reads on from the next PDU (`resyncedAfterGap`/`afterGap`, dicom.resync-given-up, summary `gapResync`)
const VERSION = '1.6.0';

interface Summary {
  commands: Record<string, number>;
  dataSets: number;
  dataSetBytes: number;
  accepted: boolean | null;
  released: boolean;
  aborted: boolean;
}

/** A response status other than success or pending, counted per (response, status) in the association summary. */
interface ProblemStatus {
  command: string;
  statusHex: string;
  category: StatusCategory;
  name: string | null;
  count: number;
}

/** distinct (response, status) pairs listed per association; more are counted in `problemStatusesOverflow` */
const MAX_PROBLEM_STATUSES = 16;

class DicomConsumer implements ScanningConsumer, DirectionOwner {
  readonly skips = true;
  private readonly streams: Record<Direction, PduStream>;
  /** each direction's emitter: the flow's, or after a resync one that marks its observations (gap-resync.ts) */
  private readonly emits: Record<Direction, Emit>;
  /** gaps met per direction, from the first one */
  private readonly gaps: Record<Direction, DirectionGaps | null> = { c2s: null, s2c: null };
  private readonly proposed = new Map<number, RqPresentationContext>();
  private readonly summary: Summary = { commands: {}, dataSets: 0, dataSetBytes: 0, accepted: null, released: false, aborted: false };
  /** responses by status category, and the warnings, failures and unknown statuses among them */
  private readonly responses: Record<StatusCategory, number> = { success: 0, pending: 0, cancel: 0, warning: 0, failure: 0, unknown: 0 };
  private readonly problems = new Map<string, ProblemStatus>();
  private problemsOverflow = 0;
  private phiReported = false;
  private seenPdu = false;
  /** a direction opened the association (A-ASSOCIATE): the other is read from its first byte too */
  opened = false;
  /** a direction was read from a sync point (the association was seen from the middle) */
  private midStream = false;
  /** seen from the middle: the SOP class of the last command per presentation context (none are negotiated) */
  private readonly commandSopClass = new Map<number, string>();

  /**
   * `scan`: each direction keeps looking for its sync point past the first window (late sync);
   * `resyncLimit`: bytes after a gap looked at for the next sync point
   */
  constructor(
    private readonly emit: Emit,
    scan: SlidingScan | undefined,
    private readonly resyncLimit: number,
  ) {
    this.emits = { c2s: emit, s2c: emit };
    this.streams = {
      c2s: new PduStream(new DirectionEvents(this, 'c2s'), new DirectionStart(this, 'c2s'), scan),
      s2c: new PduStream(new DirectionEvents(this, 's2c'), new DirectionStart(this, 's2c'), scan),
    };
  }

  scanOf(dir: Direction): ScanProgress {
    return this.streams[dir].scan;
  }

  sinceGap(dir: Direction): boolean {
    return this.gaps[dir]?.sinceGap === true;
  }

  /** reads a start a deferred search finds in bytes it has not looked at yet (before a gap or the end) */
  flush(dir: Direction, meta: FrameMeta): void {
    this.streams[dir].flush(meta);
  }

  /** Returns the data-set bytes that follow which the stream need not see (they are counted already). */
  onData(dir: Direction, data: Uint8Array, meta: FrameMeta): number {
    const s = this.streams[dir];
    const skip = s.feed(data, meta);
    return s.lost ? SKIP_REST : skip;
  }

  synced(dir: Direction, offset: number, _meta: FrameMeta): void {
    const gaps = this.gaps[dir];
    if (gaps === null || !gaps.synced(offset)) {
      this.midStream = true;
      return;
    }
    if (this.emits[dir] === this.emit) this.emits[dir] = gaps.marked(this.emit);
  }

  lost(dir: Direction, meta: FrameMeta): void {
    this.gaps[dir]?.lost(this.emit, meta);
  }

  /**
   * Bytes of `dir` were lost. A direction being read lost its PDU boundaries: the PDU in progress is
   * dropped (a data set in progress is not counted, a command cut by the gap not read), and the bytes
   * after the gap are looked at for the next PDU the mid-stream rules prove, PDU headers never guessed.
   * A direction still looking for its start keeps looking past the gap.
   */
  onGap(dir: Direction, length: number, meta: FrameMeta): void {
    const gaps = (this.gaps[dir] ??= new DirectionGaps(ID, dir, this.resyncLimit));
    this.streams[dir] = streamAfterGap(this.streams[dir], gaps, length, meta, LATE_SYNC_OVERLAP, this.resyncLimit);
  }

  onClose(reason: string, meta: FrameMeta): void {
    const failure = flushBoth((dir) => this.flush(dir, meta));
    this.summarise(reason, meta);
    if (failure !== undefined) throw failure.error;
  }

  private summarise(reason: string, meta: FrameMeta): void {
    if (!this.seenPdu && !this.midStream) return;
    const s = this.summary;
    const r = this.responses;
    // one literal with every field named (no spread of the summary): the object is then built with one
    // shape instead of being grown property by property after a copy (measured ~5 µs per association)
    this.emit('dicom.association-summary', undefined, meta, {
      commands: { ...s.commands },
      dataSets: s.dataSets,
      dataSetBytes: s.dataSetBytes,
      accepted: s.accepted,
      released: s.released,
      aborted: s.aborted,
      closeReason: reason,
      // added in 1.3.0
      responses: { success: r.success, pending: r.pending, cancel: r.cancel, warning: r.warning, failure: r.failure, unknown: r.unknown },
      problemStatuses: [...this.problems.values()].map((p) => ({ ...p })),
      problemStatusesOverflow: this.problemsOverflow,
      // added in 1.4.0
      midStream: this.midStream,
      sawAssociate: this.opened,
      // added in 1.6.0
      gapResync: gapSummary(this.gaps),
    });
  }

  pdu(dir: Direction, type: number, r: ByteReader, meta: FrameMeta): void {
    this.seenPdu = true;
    switch (type) {
      case 1: {
        const a = parseAssociate(r, 'rq');
        this.proposed.clear();
        for (const c of a.rqContexts) this.proposed.set(c.id, c);
        const { fields, findings } = associateRqFields(a);
        this.emits[dir]('dicom.associate-rq', dir, meta, fields, findings);
        break;
      }
      case 2: {
        const a = parseAssociate(r, 'ac');
        this.summary.accepted = true;
        this.emits[dir]('dicom.associate-ac', dir, meta, { accepted: true, ...associateAcFields(a, this.proposed) });
        break;
      }
      case 3: {
        r.skip(1, 'reserved');
        const result = r.u8('result');
        const source = r.u8('source');
        const reason = r.u8('reason');
        this.summary.accepted = false;
        this.emits[dir]('dicom.associate-rj', dir, meta, {
          accepted: false,
          result,
          resultName: rejectResultName(result),
          source,
          sourceName: rejectSourceName(source),
          reason,
          reasonName: rejectReasonName(source, reason),
        });
        break;
      }
      case 5:
      case 6:
        if (type === 6) this.summary.released = true;
        this.emits[dir](type === 5 ? 'dicom.release-rq' : 'dicom.release-rp', dir, meta, {});
        break;
      case 7: {
        r.skip(2, 'reserved');
        const source = r.u8('source');
        const reason = r.u8('reason');
        this.summary.aborted = true;
        this.emits[dir]('dicom.abort', dir, meta, { source, sourceName: abortSourceName(source), reason, reasonName: abortReasonName(reason) });
        break;
      }
      default:
        r.fail('bad-pdu-type', `unexpected PDU type ${type}`);
    }
  }

  command(dir: Direction, ctx: number, bytes: Uint8Array, base: number, meta: FrameMeta): void {
    this.seenPdu = true;
    const c = parseCommandSet(bytes, base);
    this.summary.commands[c.command] = (this.summary.commands[c.command] ?? 0) + 1;
    const sopClassUid = c.sopClassUid ?? this.proposed.get(ctx)?.abstractSyntax;
    if (this.midStream && c.sopClassUid !== undefined) this.commandSopClass.set(ctx, c.sopClassUid);
    if (c.status !== undefined) this.countResponse(c.command, c.status, sopClassUid, c.errorId);
    this.emits[dir]('dicom.dimse', dir, meta, dimseFields(c, ctx, sopClassUid));
  }

  private countResponse(command: string, status: number, sopClassUid: string | undefined, errorId: number | undefined): void {
    const category = statusCategory(status);
    this.responses[category]++;
    if (category === 'success' || category === 'pending') return;
    const statusHex = `0x${status.toString(16).padStart(4, '0')}`;
    const key = `${command} ${statusHex}`;
    const known = this.problems.get(key);
    if (known) known.count++;
    else if (this.problems.size >= MAX_PROBLEM_STATUSES) this.problemsOverflow++;
    else this.problems.set(key, { command, statusHex, category, name: describeStatus(command, sopClassUid, status, errorId)?.name ?? null, count: 1 });
  }

  dataSet(dir: Direction, ctx: number, bytes: number, meta: FrameMeta): void {
    this.summary.dataSets++;
    this.summary.dataSetBytes += bytes;
    if (this.phiReported) return;
    this.phiReported = true;
    const sopClassUid = this.proposed.get(ctx)?.abstractSyntax ?? this.commandSopClass.get(ctx);
    this.emits[dir](
      'dicom.data-set',
      dir,
      meta,
      { presentationContextId: ctx, sopClassUid: sopClassUid ?? null, sopClassName: sopClassUid ? (sopClassInfo(sopClassUid)?.name ?? null) : null, bytes },
      [{ code: 'dicom.cleartext-phi', severity: 'medium', message: 'DICOM data sets (patient data) cross the network without TLS' }],
    );
  }
}

/** 4242 (Orthanc's default) is shared with other software: content only there */
const LATE_SYNC_PORTS: readonly number[] = [104, 11112];

export const dicomDissector: Dissector = {
  id: ID,
  version: VERSION,
  transport: 'tcp',
  defaultPorts: [104, 11112, 4242],
  detect,
  create(key: FlowKey, emit: ObservationSink, options?: ConsumerOptions): StreamConsumer {
    const scan = contentChosenScan(key.server.port, LATE_SYNC_PORTS, LATE_SYNC_OVERLAP);
    return new DicomConsumer(flowEmitter({ id: ID, version: VERSION }, key, emit), scan, options?.resyncScanLimit ?? DEFAULT_RESYNC_SCAN_LIMIT);
  },
  lateSync: {
    ports: LATE_SYNC_PORTS,
    create(key: FlowKey, emit: ObservationSink, options: LateSyncOptions) {
      const scan = { overlap: LATE_SYNC_OVERLAP, scanLimit: options.scanLimit };
      const resyncLimit = options.resyncScanLimit ?? DEFAULT_RESYNC_SCAN_LIMIT;
      return new LateSyncFlow(ID, flowEmitter({ id: ID, version: VERSION }, key, emit), scan, (stamped, sliding) => new DicomConsumer(stamped, sliding, resyncLimit));
    },
  },
};

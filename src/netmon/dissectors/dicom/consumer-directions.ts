/**
 * @module How each direction of a DICOM association starts and where its PDU events go: the A-ASSOCIATE
 * check (the dissector's detect, with mid-stream.ts for associations seen from the middle), a direction's
 * start (StreamStart) and its PDU handler, both routing to the association (DicomConsumer, dissector.ts).
 */
import type { Direction, FrameMeta } from '../../model.js';
import type { Detection } from '../contract.js';
import { ByteReader, readU32be } from '../support/bytes.js';
import { detectMidStream, findSyncPoint } from './mid-stream.js';
import type { PduHandler, StreamStart } from './pdu-stream.js';

/** What a direction's start and PDU handler need of their association (DicomConsumer). */
export interface DirectionOwner {
  /** a direction opened the association (A-ASSOCIATE): the other is read from its first byte too */
  opened: boolean;
  pdu(dir: Direction, type: number, r: ByteReader, meta: FrameMeta): void;
  command(dir: Direction, ctx: number, bytes: Uint8Array, base: number, meta: FrameMeta): void;
  dataSet(dir: Direction, ctx: number, bytes: number, meta: FrameMeta): void;
  synced(dir: Direction, offset: number, meta: FrameMeta): void;
  lost(dir: Direction, meta: FrameMeta): void;
}

/** fixed part of A-ASSOCIATE-RQ/AC after the PDU header: version, reserved, two AE titles, reserved */
const FIXED_ASSOCIATE = 68;

/** A direction opening its association: A-ASSOCIATE-RQ, or from the server side A-ASSOCIATE-AC/RJ. */
function opensAssociation(b: Uint8Array, dir: Direction): Detection {
  if (b.length < 1) return 'need-more';
  const type = b[0] as number;
  if (type !== 1 && !(dir === 's2c' && (type === 2 || type === 3))) return 'no';
  if (b.length < 2) return 'need-more';
  if (b[1] !== 0) return 'no';
  if (b.length < 6) return 'need-more';
  const length = readU32be(b, 2);
  if (type === 3) return length === 4 ? 'yes' : 'no';
  if (length < FIXED_ASSOCIATE || length > 1024 * 1024) return 'no';
  if (b.length < 8) return 'need-more';
  if (((b[6] as number) << 8 | (b[7] as number)) !== 1) return 'no';
  // AE titles: 32 bytes of printable ASCII (or NUL padding from sloppy implementations)
  for (let i = 10; i < 42; i++) {
    if (i >= b.length) return 'need-more';
    const c = b[i] as number;
    if (c !== 0 && (c < 0x20 || c > 0x7e)) return 'no';
  }
  return 'yes';
}

/** An association from its start, or seen from the middle (mid-stream.ts). */
export function detect(b: Uint8Array, dir: Direction): Detection {
  const opening = opensAssociation(b, dir);
  return opening !== 'no' ? opening : detectMidStream(b);
}

/** One direction's PDU events routed to its association: one small object per direction, not three closures. */
export class DirectionEvents implements PduHandler {
  constructor(
    private readonly association: DirectionOwner,
    private readonly dir: Direction,
  ) {}

  pdu(type: number, body: Uint8Array, base: number, meta: FrameMeta): void {
    this.association.pdu(this.dir, type, new ByteReader(body, 'dicom', base + 6), meta);
  }

  command(ctx: number, bytes: Uint8Array, base: number, meta: FrameMeta): void {
    this.association.command(this.dir, ctx, bytes, base, meta);
  }

  dataSet(ctx: number, bytes: number, meta: FrameMeta): void {
    this.association.dataSet(this.dir, ctx, bytes, meta);
  }

  synced(offset: number, meta: FrameMeta): void {
    this.association.synced(this.dir, offset, meta);
  }

  lost(meta: FrameMeta): void {
    this.association.lost(this.dir, meta);
  }
}

/**
 * How one direction starts: with its association's first PDU, read from the first byte, or seen from the
 * middle and read from the sync point. A direction whose other side opened the association is read from
 * its first byte too (a server may answer with A-ABORT).
 */
export class DirectionStart implements StreamStart {
  constructor(
    private readonly association: DirectionOwner,
    private readonly dir: Direction,
  ) {}

  opens(b: Uint8Array): Detection {
    if (this.association.opened) return 'yes';
    const opening = opensAssociation(b, this.dir);
    if (opening === 'yes') this.association.opened = true;
    return opening;
  }

  syncPoint(b: Uint8Array): number {
    return findSyncPoint(b);
  }
}

/**
 * @module The packet object a capture parser refills for every packet. It also knows where that
 * packet's bytes lie in the chunk read, and builds `data` (a view of them) only on first read: a
 * caller that decodes the bytes in place (PacketDecoder.decodeRange) never pays for the view.
 */
import type { CapturedPacket } from './types.js';

const EMPTY = new Uint8Array(0);

export class FramedPacket implements CapturedPacket {
  declare frame: number;
  declare ts: number;
  declare tsNanos: number;
  declare linkType: number;
  declare interfaceId: number;
  declare caplen: number;
  declare origLen: number;
  declare data: Uint8Array;
  declare byteOffset: number;
  // Private fields: invisible to `{ ...packet }` copies and to deep equality, like the parser's internals.
  #bytes: Uint8Array = EMPTY;
  // #bytes.buffer and .byteOffset, read once per chunk: the typed-array getters cost as much as the view.
  #buffer: ArrayBufferLike = EMPTY.buffer;
  #byteOffset = 0;
  #start = 0;
  #end = 0;
  #view: Uint8Array | null = EMPTY;

  constructor() {
    this.frame = 0;
    this.ts = 0;
    this.tsNanos = 0;
    this.linkType = 0;
    this.interfaceId = 0;
    this.caplen = 0;
    this.origLen = 0;
    // An own, enumerable accessor (so copies made by spreading still carry the bytes), with the same
    // getter and setter for every packet object, so they all share one hidden class.
    Object.defineProperty(this, 'data', DATA);
    this.byteOffset = 0;
  }

  /** the current packet's bytes are bytes[start, end) */
  get bytes(): Uint8Array {
    return this.#bytes;
  }

  get start(): number {
    return this.#start;
  }

  get end(): number {
    return this.#end;
  }

  /** Points at the next packet's bytes, bytes[start, end). */
  setBytes(bytes: Uint8Array, start: number, end: number): void {
    if (bytes !== this.#bytes) {
      this.#bytes = bytes;
      this.#buffer = bytes.buffer;
      this.#byteOffset = bytes.byteOffset;
    }
    this.#start = start;
    this.#end = end;
    this.#view = null;
  }

  static readData(p: FramedPacket): Uint8Array {
    return (p.#view ??= new Uint8Array(p.#buffer, p.#byteOffset + p.#start, p.#end - p.#start));
  }

  static writeData(p: FramedPacket, d: Uint8Array): void {
    p.#view = d;
  }
}

const DATA: PropertyDescriptor = {
  get(this: FramedPacket): Uint8Array {
    return FramedPacket.readData(this);
  },
  set(this: FramedPacket, d: Uint8Array): void {
    FramedPacket.writeData(this, d);
  },
  enumerable: true,
};

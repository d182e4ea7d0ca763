/**
 * @module The flow hash table: a power-of-two array of slots chained through Flow.chain. Looked up
 * once per packet, so it avoids a Map (whose lookup re-hashes the key and walks its own chain) and
 * compares the stored hash before the full identity.
 */
import type { DecodedPacket } from '../decode/index.js';
import type { Flow } from './flow.js';

const INITIAL_SLOTS = 1024;

export class FlowTable {
  private slots: Array<Flow | null> = new Array<Flow | null>(INITIAL_SLOTS).fill(null);
  private mask = INITIAL_SLOTS - 1;
  private count = 0;
  /** direction (C2S/S2C) of the packet in the flow the last `find` returned */
  dir = 0;

  /** The flow the packet belongs to (setting `dir`), or null. */
  find(p: DecodedPacket, hash: number, vk: number): Flow | null {
    let f = this.slots[hash & this.mask] as Flow | null;
    while (f !== null) {
      if (f.hash === hash) {
        const dir = f.direction(p, vk);
        if (dir !== 0) {
          this.dir = dir;
          return f;
        }
      }
      f = f.chain;
    }
    return null;
  }

  insert(f: Flow): void {
    if (this.count >= this.slots.length) this.grow();
    const i = f.hash & this.mask;
    f.chain = this.slots[i] as Flow | null;
    this.slots[i] = f;
    this.count++;
  }

  delete(f: Flow): void {
    const i = f.hash & this.mask;
    let cur = this.slots[i] as Flow | null;
    if (cur === f) {
      this.slots[i] = f.chain;
    } else {
      while (cur !== null && cur.chain !== f) cur = cur.chain;
      if (cur === null) return;
      cur.chain = f.chain;
    }
    f.chain = null;
    this.count--;
  }

  private grow(): void {
    const old = this.slots;
    const size = old.length * 2;
    this.slots = new Array<Flow | null>(size).fill(null);
    this.mask = size - 1;
    for (let f of old) {
      while (f !== null && f !== undefined) {
        const next: Flow | null = f.chain;
        const i = f.hash & this.mask;
        f.chain = this.slots[i] as Flow | null;
        this.slots[i] = f;
        f = next;
      }
    }
  }
}

/**
 * @module Facts: the value -> first frame lists of an endpoint profile, with the Map methods
 * discovery uses. A profile has 25 such lists and most stay empty, while an empty Map costs about
 * 180 bytes (its hash table is allocated up front): 20,000 profiles held some 90 MB of empty tables.
 * A FactList allocates nothing until its first value and keeps values and frames in one array.
 * Lists are capped at a few dozen values (PROFILE_LIMITS.facts), where a linear search is as fast
 * as hashing. Order is insertion order, as in a Map, so everything built from a list is unchanged.
 */

/** What discovery needs of a fact list; a Map<string, number> is one too. */
export interface Facts extends Iterable<[string, number]> {
  readonly size: number;
  get(value: string): number | undefined;
  has(value: string): boolean;
  set(value: string, frame: number): this;
  delete(value: string): boolean;
  keys(): IterableIterator<string>;
  values(): IterableIterator<number>;
  entries(): IterableIterator<[string, number]>;
}

const NO_STRINGS: readonly string[] = [];
const NO_NUMBERS: readonly number[] = [];
const NO_PAIRS: ReadonlyArray<[string, number]> = [];

export class FactList implements Facts {
  /** [value0, frame0, value1, frame1, ...]; undefined while empty */
  private items: Array<string | number> | undefined;

  get size(): number {
    return this.items === undefined ? 0 : this.items.length / 2;
  }

  private indexOf(value: string): number {
    const items = this.items;
    if (items === undefined) return -1;
    for (let i = 0; i < items.length; i += 2) if (items[i] === value) return i;
    return -1;
  }

  get(value: string): number | undefined {
    const i = this.indexOf(value);
    return i < 0 ? undefined : (this.items![i + 1] as number);
  }

  has(value: string): boolean {
    return this.indexOf(value) >= 0;
  }

  /** Replaces the frame of a known value in place (its position is kept), else appends. */
  set(value: string, frame: number): this {
    const i = this.indexOf(value);
    if (i >= 0) this.items![i + 1] = frame;
    else if (this.items === undefined) this.items = [value, frame];
    else this.items.push(value, frame);
    return this;
  }

  delete(value: string): boolean {
    const i = this.indexOf(value);
    if (i < 0) return false;
    this.items!.splice(i, 2);
    if (this.items!.length === 0) this.items = undefined;
    return true;
  }

  // Arrays rather than generators: describing 20,000 profiles walks some 400,000 lists, most of them empty.
  keys(): IterableIterator<string> {
    const items = this.items;
    if (items === undefined) return NO_STRINGS[Symbol.iterator]();
    const out: string[] = [];
    for (let i = 0; i < items.length; i += 2) out.push(items[i] as string);
    return out[Symbol.iterator]();
  }

  values(): IterableIterator<number> {
    const items = this.items;
    if (items === undefined) return NO_NUMBERS[Symbol.iterator]();
    const out: number[] = [];
    for (let i = 0; i < items.length; i += 2) out.push(items[i + 1] as number);
    return out[Symbol.iterator]();
  }

  entries(): IterableIterator<[string, number]> {
    const items = this.items;
    if (items === undefined) return NO_PAIRS[Symbol.iterator]();
    const out: Array<[string, number]> = [];
    for (let i = 0; i < items.length; i += 2) out.push([items[i] as string, items[i + 1] as number]);
    return out[Symbol.iterator]();
  }

  [Symbol.iterator](): IterableIterator<[string, number]> {
    return this.entries();
  }
}

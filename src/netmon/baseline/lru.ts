/**
 * @module A bounded least-recently-used map: a Map for lookup plus an intrusive doubly linked list
 * for recency, so touching and evicting are O(1). (A plain Map re-inserted on every touch and
 * evicted through keys().next() is quadratic in practice: V8 leaves deleted entries in place until
 * the next rehash and the iterator walks over all of them.)
 */

interface Node<K, V> {
  key: K;
  value: V;
  prev: Node<K, V> | null;
  next: Node<K, V> | null;
}

export class LruMap<K, V> {
  private readonly map = new Map<K, Node<K, V>>();
  /** least recently used */
  private head: Node<K, V> | null = null;
  /** most recently used */
  private tail: Node<K, V> | null = null;
  /** entries evicted because the map was full */
  evicted = 0;

  /** `onEvict` sees each entry pushed out by the bound (not those removed by delete/clear). */
  constructor(
    readonly max: number,
    private readonly onEvict?: (key: K, value: V) => void,
  ) {}

  get size(): number {
    return this.map.size;
  }

  has(k: K): boolean {
    return this.map.has(k);
  }

  /** The value without making it recent. */
  peek(k: K): V | undefined {
    return this.map.get(k)?.value;
  }

  /** The value, made most recent. */
  get(k: K): V | undefined {
    const n = this.map.get(k);
    if (!n) return undefined;
    this.moveToTail(n);
    return n.value;
  }

  /** Inserts or replaces as most recent, evicting the least recent entries beyond `max`. */
  set(k: K, v: V): void {
    const n = this.map.get(k);
    if (n) {
      n.value = v;
      this.moveToTail(n);
      return;
    }
    while (this.map.size >= this.max && this.head) this.evictHead();
    const node: Node<K, V> = { key: k, value: v, prev: this.tail, next: null };
    if (this.tail) this.tail.next = node;
    else this.head = node;
    this.tail = node;
    this.map.set(k, node);
  }

  delete(k: K): boolean {
    const n = this.map.get(k);
    if (!n) return false;
    this.unlink(n);
    this.map.delete(k);
    return true;
  }

  /** Evicts the least recent entry (counted, reported to onEvict); false when empty. */
  evictOldest(): boolean {
    if (!this.head) return false;
    this.evictHead();
    return true;
  }

  /** The least recent key. */
  oldestKey(): K | undefined {
    return this.head?.key;
  }

  clear(): void {
    this.map.clear();
    this.head = this.tail = null;
  }

  /** Values from least to most recent. */
  *values(): IterableIterator<V> {
    for (let n = this.head; n; n = n.next) yield n.value;
  }

  private evictHead(): void {
    const h = this.head as Node<K, V>;
    this.unlink(h);
    this.map.delete(h.key);
    this.evicted++;
    this.onEvict?.(h.key, h.value);
  }

  private unlink(n: Node<K, V>): void {
    if (n.prev) n.prev.next = n.next;
    else this.head = n.next;
    if (n.next) n.next.prev = n.prev;
    else this.tail = n.prev;
    n.prev = n.next = null;
  }

  private moveToTail(n: Node<K, V>): void {
    if (this.tail === n) return;
    this.unlink(n);
    n.prev = this.tail;
    if (this.tail) this.tail.next = n;
    else this.head = n;
    this.tail = n;
  }
}

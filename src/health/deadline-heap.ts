/**
 * A binary min-heap keyed by time. The supervisor pops only what is due, so a tick costs
 * O(k log n) for k due deadlines instead of a scan of every device (issue 5, requirement 1).
 * Rescheduling pushes a new entry; the stale one is recognised and dropped when it surfaces.
 */
export interface HeapEntry<T> {
  at: number;
  key: string;
  payload: T;
}

export class DeadlineHeap<T = undefined> {
  private readonly items: HeapEntry<T>[] = [];

  get size(): number {
    return this.items.length;
  }

  push(entry: HeapEntry<T>): void {
    const a = this.items;
    a.push(entry);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((a[parent] as HeapEntry<T>).at <= entry.at) break;
      a[i] = a[parent] as HeapEntry<T>;
      i = parent;
    }
    a[i] = entry;
  }

  pop(): HeapEntry<T> | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length === 0 || last === undefined) return top;
    let i = 0;
    const n = a.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let smallest = i;
      let smallestAt = last.at;
      if (l < n && (a[l] as HeapEntry<T>).at < smallestAt) {
        smallest = l;
        smallestAt = (a[l] as HeapEntry<T>).at;
      }
      if (r < n && (a[r] as HeapEntry<T>).at < smallestAt) smallest = r;
      if (smallest === i) break;
      a[i] = a[smallest] as HeapEntry<T>;
      i = smallest;
    }
    a[i] = last;
    return top;
  }

  /** Pops every entry due at `now`, in time order. */
  *due(now: number): Generator<HeapEntry<T>> {
    while (this.items.length > 0 && (this.items[0] as HeapEntry<T>).at <= now) yield this.pop() as HeapEntry<T>;
  }
}

/** Half-open time spans `[start, end)` in epoch ms, and the set arithmetic reports need. */
export type Span = readonly [number, number];

/** Sorted, non-overlapping, non-empty. */
export function normalize(spans: readonly Span[]): Span[] {
  const sorted = spans.filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const [a, b] of sorted) {
    const last = out.at(-1);
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

export function clip(spans: readonly Span[], from: number, to: number): Span[] {
  return normalize(spans.map(([a, b]) => [Math.max(a, from), Math.min(b, to)] as const));
}

export function intersect(a: readonly Span[], b: readonly Span[]): Span[] {
  const x = normalize(a);
  const y = normalize(b);
  const out: Span[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    const [a0, a1] = x[i] as Span;
    const [b0, b1] = y[j] as Span;
    const lo = Math.max(a0, b0);
    const hi = Math.min(a1, b1);
    if (hi > lo) out.push([lo, hi]);
    if (a1 < b1) i++;
    else j++;
  }
  return out;
}

export function subtract(a: readonly Span[], b: readonly Span[]): Span[] {
  const cut = normalize(b);
  const out: Span[] = [];
  for (const [start, end] of normalize(a)) {
    let cursor = start;
    for (const [c0, c1] of cut) {
      if (c1 <= cursor || c0 >= end) continue;
      if (c0 > cursor) out.push([cursor, c0]);
      cursor = Math.max(cursor, c1);
    }
    if (cursor < end) out.push([cursor, end]);
  }
  return out;
}

export const measure = (spans: readonly Span[]): number => normalize(spans).reduce((sum, [a, b]) => sum + (b - a), 0);

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

/** Nearest-rank percentile (p in 0..100) of unsorted values; null when there are none. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? null;
}

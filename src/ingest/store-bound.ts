/** What a bounded wait for the store came to: its value, or why there is none. */
export type Bounded<T> = { ok: true; value: T } | { ok: false; timedOut: boolean; err: unknown };

/**
 * Waits for the store at most `ms` (issue 13 §1): a stalled database must not hold a device's
 * PUBACK — or its CONNACK — for as long as the database pleases. The promise itself is left
 * running; callers decide what a late answer means.
 */
export function withinBound<T>(promise: Promise<T>, ms: number): Promise<Bounded<T>> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ ok: false, timedOut: true, err: new Error(`store did not answer within ${ms} ms`) }), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve({ ok: true, value });
      },
      (err: unknown) => {
        clearTimeout(timer);
        resolve({ ok: false, timedOut: false, err });
      },
    );
  });
}

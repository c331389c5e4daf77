import type { AlarmPayload } from '../../src/domain/wire.ts';
import type { PendingAlarm } from './types.ts';

interface Entry extends PendingAlarm {
  /** Token of the publish in flight, if any; a callback with an older token is stale. */
  inFlight: number | null;
  timer?: NodeJS.Timeout;
}

export interface AlarmQueueOptions {
  /** Publishes the alarm at QoS 1; resolves on PUBACK. */
  send: (payload: AlarmPayload) => Promise<void>;
  onSent?: (alarmId: string, attempt: number) => void;
  onPuback?: (alarmId: string, pressedAt: number) => void;
  /**
   * Real milliseconds to wait for a PUBACK before sending the alarm again with the same id
   * (default 10 s). MQTT 3.1.1 only retransmits on reconnection; a device whose broker stays
   * connected but silent (a stalled durable write) must not wait for ever.
   */
  pubackTimeoutMs?: number;
  /** Called when an attempt timed out, so the owner can flush again under its own conditions. */
  onTimeout?: () => void;
}

/**
 * The device's local alarm queue (P1 seen from the device): a press is kept until the broker
 * answers PUBACK, and every retry carries the same alarm id so the server stores it once.
 * A press made while offline waits here and goes out when the connection comes back.
 */
export class AlarmQueue {
  readonly #opts: AlarmQueueOptions;
  readonly #entries: Entry[] = [];
  #token = 0;

  constructor(opts: AlarmQueueOptions) {
    this.#opts = opts;
  }

  get pending(): readonly PendingAlarm[] {
    return this.#entries.map(({ inFlight: _inFlight, timer: _timer, ...rest }) => rest);
  }

  enqueue(payload: AlarmPayload, pressedAt: number): void {
    this.#entries.push({ payload, pressedAt, attempts: 0, inFlight: null });
  }

  /** Sends every alarm not already in flight; `mayTry` can refuse an attempt (no satellite in view). */
  flush(mayTry: () => boolean = () => true): void {
    for (const entry of this.#entries) {
      if (entry.inFlight !== null || !mayTry()) continue;
      this.#attempt(entry);
    }
  }

  /** The connection was replaced or no PUBACK came in time: everything in flight is retried on the next flush. */
  forgetInFlight(): void {
    for (const entry of this.#entries) {
      entry.inFlight = null;
      clearTimeout(entry.timer);
    }
  }

  /** Stops the PUBACK timers (the device is stopping); queued alarms stay queued. */
  close(): void {
    for (const entry of this.#entries) clearTimeout(entry.timer);
  }

  #attempt(entry: Entry): void {
    const token = ++this.#token;
    entry.inFlight = token;
    entry.attempts++;
    this.#opts.onSent?.(entry.payload.id, entry.attempts);
    clearTimeout(entry.timer);
    entry.timer = setTimeout(() => {
      if (entry.inFlight !== token) return;
      entry.inFlight = null;
      this.#opts.onTimeout?.();
    }, this.#opts.pubackTimeoutMs ?? 10_000);
    this.#opts.send(entry.payload).then(
      () => {
        clearTimeout(entry.timer);
        const i = this.#entries.indexOf(entry);
        if (i < 0) return; // an earlier attempt was already acknowledged
        this.#entries.splice(i, 1);
        entry.pubackAt = Date.now();
        this.#opts.onPuback?.(entry.payload.id, entry.pressedAt);
      },
      () => {
        if (entry.inFlight !== token) return;
        clearTimeout(entry.timer);
        entry.inFlight = null;
      },
    );
  }
}

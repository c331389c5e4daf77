import { EventEmitter } from 'node:events';
import type { Logger } from '../platform/logger.ts';
import type { EventMap } from './types.ts';

export type EventName = keyof EventMap;
export type Listener<K extends EventName> = (payload: EventMap[K]) => void | Promise<void>;

export interface ListenOptions {
  /**
   * Which node's events to hear: this node's (`local`, the default), other nodes' relayed
   * through Redis (`remote`), or both (`any`). Only observers that show state, like the live
   * stream, hear remote events: engines act on their own node's events alone, so an alarm is
   * escalated by one node, not by every node that hears of it.
   */
  origin?: 'local' | 'remote' | 'any';
}

type Origin = 'local' | 'remote';

/**
 * The typed in-process event bus. Parts talk to each other only through it (docs/architecture.md).
 * A listener that throws or rejects is logged and never breaks the emitter or other listeners:
 * a failing report must not stop an alarm from being paged.
 */
export class EventBus {
  private readonly emitter = new EventEmitter({ captureRejections: false });

  constructor(private readonly logger: Logger) {
    this.emitter.setMaxListeners(100);
  }

  on<K extends EventName>(name: K, listener: Listener<K>, options: ListenOptions = {}): () => void {
    const wrapped = (payload: EventMap[K], origin: Origin) => {
      const wanted = options.origin ?? 'local';
      if (wanted !== 'any' && wanted !== origin) return;
      try {
        const result = listener(payload);
        if (result instanceof Promise) result.catch((err: unknown) => this.logger.error({ err, event: name }, 'event listener failed'));
      } catch (err) {
        this.logger.error({ err, event: name }, 'event listener failed');
      }
    };
    this.emitter.on(name, wrapped);
    return () => this.emitter.off(name, wrapped);
  }

  /** Raises an event of this node: every listener hears it, and a relay forwards it. */
  emit<K extends EventName>(name: K, payload: EventMap[K]): void {
    this.emitter.emit(name, payload, 'local');
    this.emitter.emit('*', name, payload);
  }

  /** Delivers an event relayed from another node, to the listeners that opted in. */
  emitRemote<K extends EventName>(name: K, payload: EventMap[K]): void {
    this.emitter.emit(name, payload, 'remote');
  }

  /** Every local event, for relays. */
  onAny(listener: (name: EventName, payload: unknown) => void): () => void {
    this.emitter.on('*', listener);
    return () => this.emitter.off('*', listener);
  }

  /** Resolves with the next event of that name that matches, for tests and one-shot waits. */
  next<K extends EventName>(
    name: K,
    match: (payload: EventMap[K]) => boolean = () => true,
    options: ListenOptions = {},
  ): Promise<EventMap[K]> {
    return new Promise((resolve) => {
      const off = this.on(
        name,
        (payload) => {
          if (match(payload)) {
            off();
            resolve(payload);
          }
        },
        options,
      );
    });
  }
}

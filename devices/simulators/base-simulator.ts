import type { AlarmPayload, DeviceEventPayload, Heartbeat, Location } from '../../src/domain/wire.ts';
import { AlarmQueue } from './alarm-queue.ts';
import { modelHeartbeatIntervalS, type SimulatedModel } from './catalogue.ts';
import { DeviceLink } from './device-link.ts';
import { createPrng, type Prng } from './prng.ts';
import { ScaledTimers } from './scaled-timers.ts';
import type { AckRecord, PendingAlarm, SimEvent, Simulator, SimulatorOptions } from './types.ts';

/**
 * What every simulated device shares: the MQTT session, the heartbeat schedule in simulated
 * time, the local alarm queue, the ack record, and the failure modes (drop, die, stop).
 * A family (panic button, camera, satellite phone) supplies its readings in `tick()`.
 */
export abstract class BaseSimulator implements Simulator {
  abstract readonly model: SimulatedModel;
  readonly id: string;
  protected readonly opts: SimulatorOptions;
  protected readonly timers: ScaledTimers;
  /** Readings: drawn in a fixed order per heartbeat, so a seed gives the same sequence. */
  protected readonly prng: Prng;
  /** Positions of presses and other moments decided by the fleet: kept apart from `prng` so a press does not shift the readings. */
  protected readonly eventPrng: Prng;
  protected readonly link: DeviceLink;
  protected readonly queue: AlarmQueue;
  protected readonly now: () => number;
  protected seq = 0;
  #intervalS: number | undefined;
  #heartbeatTimer: NodeJS.Timeout | undefined;
  #reconnectTimer: NodeJS.Timeout | undefined;
  readonly #acks: AckRecord[] = [];
  readonly #pendingEvents: DeviceEventPayload[] = [];
  #dead = false;
  #dying: Promise<void> | undefined;
  #stopped = false;
  #presses = 0;
  readonly #bootId: string;

  constructor(opts: SimulatorOptions) {
    this.opts = opts;
    this.id = opts.id;
    this.now = opts.now ?? Date.now;
    this.timers = new ScaledTimers(opts.speed ?? 1);
    this.prng = createPrng(opts.seed, opts.id, 'readings');
    this.eventPrng = createPrng(opts.seed, opts.id, 'events');
    // A real device keeps a boot counter; the wall clock stands in for it so that a rerun of the
    // same seed against the same database does not look like retransmissions of old alarms.
    this.#bootId = this.now().toString(36);
    this.link = new DeviceLink({
      url: opts.url,
      id: opts.id,
      ...(opts.secret !== undefined ? { secret: opts.secret } : {}),
      reconnectPeriodMs: opts.reconnectPeriodMs ?? 1000,
      onConnect: () => this.#onConnect(),
      onClose: () => this.emit({ type: 'disconnected', deviceId: this.id, at: this.now(), reason: 'dropped' }),
      onAck: (ack) => {
        const record = { alarmId: ack.alarmId, state: ack.state, at: this.now() };
        this.#acks.push(record);
        this.emit({ type: 'ack_received', deviceId: this.id, ...record });
      },
      onConfig: (config) => {
        this.#intervalS = config.heartbeatIntervalS;
        this.emit({ type: 'config_applied', deviceId: this.id, at: this.now(), heartbeatIntervalS: config.heartbeatIntervalS });
        if (this.#heartbeatTimer) this.scheduleTick();
      },
      onError: (message) => this.emit({ type: 'error', deviceId: this.id, at: this.now(), message }),
    });
    this.queue = new AlarmQueue({
      send: (payload) => this.link.publish('alarm', payload, { qos: 1 }),
      onSent: (alarmId, attempt) => this.emit({ type: 'alarm_sent', deviceId: this.id, at: this.now(), alarmId, attempt }),
      onPuback: (alarmId, pressedAt) => this.emit({ type: 'alarm_puback', deviceId: this.id, at: this.now(), alarmId, pressedAt }),
      ...(opts.pubackTimeoutMs !== undefined ? { pubackTimeoutMs: opts.pubackTimeoutMs } : {}),
      onTimeout: () => {
        if (this.active) this.flushAlarms();
      },
    });
  }

  get heartbeatIntervalS(): number {
    return this.#intervalS ?? this.opts.heartbeatIntervalS ?? modelHeartbeatIntervalS(this.model);
  }
  get connected(): boolean {
    return this.link.connected;
  }
  get dead(): boolean {
    return this.#dead;
  }
  get acks(): readonly AckRecord[] {
    return this.#acks;
  }
  get pendingAlarms(): readonly PendingAlarm[] {
    return this.queue.pending;
  }
  protected get active(): boolean {
    return !this.#dead && !this.#stopped;
  }

  async start(): Promise<void> {
    await this.link.open();
    this.scheduleTick(this.firstTickDelayS());
  }

  /** Heartbeats of a fleet start spread over one interval instead of all at once. */
  protected firstTickDelayS(): number {
    return 0;
  }

  protected scheduleTick(delayS = this.heartbeatIntervalS): void {
    this.timers.cancel(this.#heartbeatTimer);
    this.#heartbeatTimer = this.timers.after(delayS, () => {
      if (!this.active) return;
      this.tick();
      this.scheduleTick();
    });
  }

  /** One heartbeat period: take readings and report them. */
  protected abstract tick(): void;

  protected emit(event: SimEvent): void {
    this.opts.onEvent?.(event);
  }

  /** Queues an alarm and tries to send it now; it is retried until PUBACK. */
  protected raise(kind: AlarmPayload['kind'], loc?: Location, note?: string): string {
    this.#presses++;
    const payload: AlarmPayload = {
      id: `${this.#bootId}-${this.#presses}`,
      ts: this.now(),
      kind,
      ...(loc ? { loc } : {}),
      ...(note ? { note } : {}),
    };
    this.queue.enqueue(payload, this.now());
    this.emit({ type: 'alarm_pressed', deviceId: this.id, at: this.now(), payload });
    this.flushAlarms();
    return payload.id;
  }

  /** Hands queued alarms to the connection; families with an unreliable link override it. */
  protected flushAlarms(): void {
    if (this.link.connected) this.queue.flush();
  }

  /** Sends a device event now, or on the next connection if the link is down. */
  protected sendEvent(kind: DeviceEventPayload['kind'], detail?: DeviceEventPayload['detail']): void {
    const payload: DeviceEventPayload = { ts: this.now(), kind, ...(detail !== undefined ? { detail } : {}) };
    this.emit({ type: 'device_event', deviceId: this.id, at: this.now(), payload });
    if (this.link.connected) this.link.publish('event', payload, { qos: 1 }).catch(() => this.#pendingEvents.push(payload));
    else this.#pendingEvents.push(payload);
  }

  /** Publishes a heartbeat if connected; a heartbeat while offline is simply lost (the seq shows the gap). */
  protected sendHeartbeat(payload: Heartbeat, qos: 0 | 1 = 0): Promise<void> {
    if (!this.link.connected) return Promise.reject(new Error('not connected'));
    this.emit({ type: 'heartbeat', deviceId: this.id, at: this.now(), payload });
    return this.link.publish('heartbeat', payload, { qos });
  }

  protected onReconnected(): void {}

  #onConnect(): void {
    this.emit({ type: 'connected', deviceId: this.id, at: this.now() });
    for (const payload of this.#pendingEvents.splice(0)) {
      this.link.publish('event', payload, { qos: 1 }).catch(() => this.#pendingEvents.push(payload));
    }
    this.onReconnected();
    this.flushAlarms();
  }

  dropConnection(forS?: number): void {
    if (!this.active) return;
    this.link.drop();
    this.queue.forgetInFlight();
    this.timers.cancel(this.#reconnectTimer);
    if (forS !== undefined) {
      this.#reconnectTimer = this.timers.after(forS, () => {
        if (this.active)
          this.link.open().catch((err: Error) => this.emit({ type: 'error', deviceId: this.id, at: this.now(), message: err.message }));
      });
    }
  }

  /** Last words of a dying device (a heartbeat at battery 0, a power_lost event): families override. */
  protected lastWords(): Promise<void> {
    return Promise.resolve();
  }

  die(): void {
    if (!this.active) return;
    this.#dead = true;
    this.timers.clear();
    this.queue.close();
    // Last words go out (and are acknowledged), then the power is cut: no DISCONNECT, so the
    // broker publishes the last will exactly as it would for a real dead battery.
    this.#dying = this.lastWords()
      .catch(() => undefined)
      .then(() => {
        this.link.drop();
        this.emit({ type: 'died', deviceId: this.id, at: this.now() });
      });
  }

  /** Resolves once a dying device has gone silent (immediately if it is not dying). */
  whenDead(): Promise<void> {
    return this.#dying ?? Promise.resolve();
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    const wasDead = this.#dead;
    this.#stopped = true;
    this.timers.clear();
    this.queue.close();
    if (wasDead) {
      await this.#dying;
      return;
    }
    await this.link.close();
    this.emit({ type: 'disconnected', deviceId: this.id, at: this.now(), reason: 'stopped' });
  }
}

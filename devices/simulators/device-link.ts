import mqtt, { type MqttClient } from 'mqtt';
import { type AckDownlink, ackDownlinkSchema, type ConfigDownlink, configDownlinkSchema } from '../../src/domain/wire.ts';

export interface DeviceLinkOptions {
  url: string;
  id: string;
  secret?: string;
  reconnectPeriodMs?: number;
  onConnect?: () => void;
  onClose?: () => void;
  onAck?: (ack: AckDownlink) => void;
  onConfig?: (config: ConfigDownlink) => void;
  onError?: (message: string) => void;
}

export interface PublishOptions {
  qos: 0 | 1;
  retain?: boolean;
}

/**
 * One device's MQTT session as the wire contract wants it: client id = username = device id,
 * MQTT 3.1.1 (the embedded aedes broker speaks nothing newer), a retained `offline` last will,
 * a retained `online` on every connect, and subscriptions to the device's two downlinks.
 *
 * A dropped connection discards the mqtt.js client and a later `open()` makes a new one, so
 * nothing mqtt.js buffered survives a drop: the alarm queue, not the library, owns retries.
 */
export class DeviceLink {
  readonly #opts: DeviceLinkOptions;
  #client: MqttClient | undefined;
  #generation = 0;

  constructor(opts: DeviceLinkOptions) {
    this.#opts = opts;
  }

  get connected(): boolean {
    return this.#client?.connected === true;
  }

  /** Changes every time the client is replaced; lets late callbacks of an old client be ignored. */
  get generation(): number {
    return this.#generation;
  }

  topic(leaf: string): string {
    return `v1/devices/${this.#opts.id}/${leaf}`;
  }

  /** Connects; resolves on the first CONNACK. mqtt.js then reconnects by itself after network loss. */
  open(): Promise<void> {
    if (this.#client) return Promise.resolve();
    const { id, secret } = this.#opts;
    const client = mqtt.connect(this.#opts.url, {
      clientId: id,
      username: id,
      ...(secret !== undefined ? { password: secret } : {}),
      protocolVersion: 4,
      clean: true,
      reconnectPeriod: this.#opts.reconnectPeriodMs ?? 1000,
      connectTimeout: 10_000,
      will: { topic: this.topic('status'), payload: Buffer.from('offline'), qos: 1, retain: true },
    });
    this.#client = client;
    this.#generation++;
    const generation = this.#generation;
    client.on('connect', () => {
      client.publish(this.topic('status'), 'online', { qos: 1, retain: true });
      client.subscribe([this.topic('ack'), this.topic('config')], { qos: 1 });
      this.#opts.onConnect?.();
    });
    client.on('close', () => {
      if (generation === this.#generation) this.#opts.onClose?.();
    });
    client.on('error', (err) => this.#opts.onError?.(err.message));
    client.on('message', (topic, payload) => this.#onMessage(topic, payload));
    return new Promise((resolve, reject) => {
      const onConnect = (): void => {
        client.removeListener('error', onError);
        resolve();
      };
      // Only a refused CONNACK (bad secret) rejects; a broker that is down is retried.
      const onError = (err: Error & { code?: number }): void => {
        if (typeof err.code === 'number' && err.code > 0) {
          client.removeListener('connect', onConnect);
          reject(new Error(`device ${id}: broker refused the connection (${err.message})`));
        }
      };
      client.once('connect', onConnect);
      client.on('error', onError);
    });
  }

  /** QoS 1 resolves on PUBACK; rejects when the connection is gone before it. */
  publish(leaf: string, payload: unknown, opts: PublishOptions): Promise<void> {
    const client = this.#client;
    if (!client?.connected) return Promise.reject(new Error('not connected'));
    const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
    return new Promise((resolve, reject) => {
      client.publish(this.topic(leaf), body, { qos: opts.qos, retain: opts.retain ?? false }, (err) => (err ? reject(err) : resolve()));
    });
  }

  /** Kills the socket without DISCONNECT, as a lost signal or a dead battery would: the broker sends the last will. */
  drop(): void {
    const client = this.#client;
    if (!client) return;
    this.#client = undefined;
    this.#generation++;
    client.options.reconnectPeriod = 0;
    client.end(true);
    this.#opts.onClose?.();
  }

  /** Graceful power-off: announces `offline` (a DISCONNECT suppresses the will), then disconnects. */
  async close(): Promise<void> {
    const client = this.#client;
    if (!client) return;
    this.#client = undefined;
    this.#generation++;
    if (client.connected) {
      await new Promise<void>((resolve) => client.publish(this.topic('status'), 'offline', { qos: 1, retain: true }, () => resolve()));
    }
    await client.endAsync(!client.connected);
  }

  #onMessage(topic: string, payload: Buffer): void {
    let body: unknown;
    try {
      body = JSON.parse(payload.toString('utf8'));
    } catch {
      this.#opts.onError?.(`unreadable downlink on ${topic}`);
      return;
    }
    if (topic === this.topic('ack')) {
      const ack = ackDownlinkSchema.safeParse(body);
      if (ack.success) this.#opts.onAck?.(ack.data);
      else this.#opts.onError?.(`bad ack downlink: ${ack.error.message}`);
    } else if (topic === this.topic('config')) {
      const config = configDownlinkSchema.safeParse(body);
      if (config.success) this.#opts.onConfig?.(config.data);
      else this.#opts.onError?.(`bad config downlink: ${config.error.message}`);
    }
  }
}

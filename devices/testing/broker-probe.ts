import { randomBytes } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';

/** The real Mosquitto these machines run (docs/dependencies.md); MQTT_TEST_URL points elsewhere. */
export const TEST_BROKER_URL = process.env.MQTT_TEST_URL ?? 'mqtt://127.0.0.1:1883';

/** A device id no other run uses, so parallel runs never see each other's retained messages. */
export function uniqueDeviceId(prefix: string): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

export interface Received {
  topic: string;
  text: string;
  retain: boolean;
  /** JSON body, or undefined for plain text such as `online`. */
  json: unknown;
}

/**
 * A consumer on the broker, as Centinela's ingest would be: it records everything under the
 * filters and lets a test await the message it expects instead of sleeping.
 */
export class BrokerProbe {
  readonly messages: Received[] = [];
  readonly #client: MqttClient;
  #waiters: { match: (m: Received) => boolean; resolve: (m: Received) => void }[] = [];

  private constructor(client: MqttClient) {
    this.#client = client;
    client.on('message', (topic, payload, packet) => {
      const text = payload.toString('utf8');
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      const m = { topic, text, retain: packet.retain, json };
      this.messages.push(m);
      const matched = this.#waiters.filter((w) => w.match(m));
      this.#waiters = this.#waiters.filter((w) => !matched.includes(w));
      for (const w of matched) w.resolve(m);
    });
  }

  /** Connects or fails loudly: a missing broker is an error to fix, never a reason to skip. */
  static async connect(url: string = TEST_BROKER_URL): Promise<BrokerProbe> {
    try {
      const client = await mqtt.connectAsync(url, {
        clientId: uniqueDeviceId('probe'),
        protocolVersion: 4,
        reconnectPeriod: 0,
        connectTimeout: 3000,
      });
      return new BrokerProbe(client);
    } catch (err) {
      throw new Error(
        `THE MQTT BROKER AT ${url} IS NOT REACHABLE (${(err as Error).message}). These tests need a real broker: start Mosquitto (apt-get install -y mosquitto && mosquitto -d) or set MQTT_TEST_URL.`,
      );
    }
  }

  async subscribe(filter: string): Promise<void> {
    await this.#client.subscribeAsync(filter, { qos: 1 });
  }

  /** Resolves with the first message (already received or to come) that matches. */
  next(match: (m: Received) => boolean, after = 0): Promise<Received> {
    const seen = this.messages.slice(after).find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.#waiters.push({ match, resolve }));
  }

  /** Resolves once `count` messages match. */
  async count(match: (m: Received) => boolean, count: number): Promise<Received[]> {
    for (;;) {
      const found = this.messages.filter(match);
      if (found.length >= count) return found.slice(0, count);
      await new Promise<Received>((resolve) => this.#waiters.push({ match, resolve }));
    }
  }

  on(topic: string): (m: Received) => boolean {
    return (m) => m.topic === topic;
  }

  /** Publishes as the server would (ack and config downlinks); QoS 1. */
  async publish(topic: string, body: unknown, retain = false): Promise<void> {
    await this.#client.publishAsync(topic, typeof body === 'string' ? body : JSON.stringify(body), { qos: 1, retain });
  }

  /** Clears a retained message so the broker does not keep test leftovers. */
  async clearRetained(topic: string): Promise<void> {
    await this.#client.publishAsync(topic, '', { qos: 1, retain: true });
  }

  async close(): Promise<void> {
    await this.#client.endAsync();
  }
}

import { type AlarmPayload, type DeviceEventPayload, type Heartbeat, normalizeDeviceTime } from '../../domain/wire.ts';
import type { IngestContext, Uplink } from '../context.ts';
import { handleAlarm } from '../handlers/alarm.ts';
import { handleDeviceEvent } from '../handlers/event.ts';
import { handleHeartbeat } from '../handlers/heartbeat.ts';
import type { GatewayMetrics } from './metrics.ts';

export type ProtocolName = 'gt06' | 'dc09' | 'sbd' | 'inreach';

/** Retransmissions land in one press when the device's clock cannot tell them apart (see below). */
const DEDUP_BUCKET_MS = 10 * 60_000;

/**
 * The time part of a protocol alarm's id, so that a retransmission is one press (P1) but a new
 * alarm never passes for an old one. A device time is used when it is plausible; a device with no
 * clock (no GPS fix, reboot) sends a constant one, and its counters restart — with that time the
 * id of a new SOS could equal an old one and be dropped as a duplicate. Then a 10-minute window of
 * receive time stands in: a retransmission that straddles two windows joins the open alarm.
 */
export function alarmIdTime(deviceTime: number, receivedAt: number): string {
  return normalizeDeviceTime(deviceTime, receivedAt).clockSuspect ? receiveWindow(receivedAt) : String(deviceTime);
}

export const receiveWindow = (receivedAt: number): string => `r${Math.floor(receivedAt / DEDUP_BUCKET_MS)}`;

/** How long a hardware id → device id answer is trusted (a re-registered IMEI takes effect after). */
const CACHE_MS = 30_000;

/**
 * The one bridge from a decoded protocol frame into the MQTT contract's handlers: a frame
 * becomes the same heartbeat / alarm / event an MQTT device would publish, so validation, the
 * durable alarm write (P1) and every downstream event stay on one path.
 */
export class DeviceIntake {
  private readonly cache = new Map<string, { deviceId: string; retiredAt: number | null; until: number }>();
  /** The devices heard through each protocol since start: who is cut off when its gateway is down. */
  private readonly heard = new Map<ProtocolName, Set<string>>();

  constructor(
    readonly ctx: IngestContext,
    readonly metrics: GatewayMetrics,
  ) {}

  /**
   * The device registered with this hardware id, or undefined — then the frame is recorded as an
   * ingest error under `unregistered:<protocol>:<id>` for technicians, and counted.
   */
  async resolve(protocol: ProtocolName, hardwareId: string, receivedAt: number): Promise<string | undefined> {
    let hit = this.cache.get(hardwareId);
    if (!hit || hit.until <= receivedAt) {
      const found = await this.ctx.repos.devices.byHardwareId(hardwareId);
      if (this.cache.size > 50_000) this.cache.clear();
      hit = found ? { deviceId: found.id, retiredAt: found.retiredAt, until: receivedAt + CACHE_MS } : undefined;
      // Unknown ids are not cached: registering the device takes effect at its next frame.
      if (hit) this.cache.set(hardwareId, hit);
    }
    if (!hit) {
      this.metrics.frames.inc({ protocol, outcome: 'unregistered' });
      this.ctx.errors.record(
        `unregistered:${protocol}:${hardwareId}`,
        protocol,
        'unregistered_hardware_id',
        `no device has hardware id ${hardwareId}`,
        receivedAt,
      );
      return undefined;
    }
    // As the MQTT authenticator does: a retired device is not heard any more.
    if (hit.retiredAt !== null && hit.retiredAt <= receivedAt) {
      this.metrics.frames.inc({ protocol, outcome: 'retired' });
      this.ctx.errors.record(hit.deviceId, protocol, 'retired_device', `frame from retired device (hardware id ${hardwareId})`, receivedAt);
      return undefined;
    }
    const set = this.heard.get(protocol) ?? new Set<string>();
    this.heard.set(protocol, set);
    set.add(hit.deviceId);
    return hit.deviceId;
  }

  /** Resolves once the alarm is durable (P1): only then may the protocol acknowledge it. */
  alarm(deviceId: string, payload: AlarmPayload, frame: Buffer, receivedAt: number): Promise<void> {
    return handleAlarm(this.ctx, this.uplink(deviceId, 'alarm', payload, receivedAt, frame));
  }

  heartbeat(deviceId: string, payload: Heartbeat, receivedAt: number): void {
    handleHeartbeat(this.ctx, this.uplink(deviceId, 'heartbeat', payload, receivedAt));
  }

  event(deviceId: string, payload: DeviceEventPayload, receivedAt: number): void {
    handleDeviceEvent(this.ctx, this.uplink(deviceId, 'event', payload, receivedAt));
  }

  /** Device-originated proof of life with no telemetry (P3: liveness only from the device's own frames). */
  polled(deviceId: string, at: number, via: string): void {
    this.ctx.metrics.messages.inc({ kind: 'poll' });
    this.ctx.events.emit('device.polled', { deviceId, at, via });
  }

  /** A gateway stopped working: a technician matter; `protocol` names whose devices it cuts off. */
  gatewayDown(gateway: string, protocol: ProtocolName | undefined, at: number, reason: string): void {
    const deviceIds = protocol ? [...(this.heard.get(protocol) ?? [])] : [];
    this.ctx.events.emit('gateway.down', { gateway, at, reason, deviceIds });
  }

  gatewayUp(gateway: string, at: number): void {
    this.ctx.events.emit('gateway.up', { gateway, at });
  }

  /** A session-oriented protocol's connection opened or closed (GT06 over TCP). */
  connected(deviceId: string, at: number): void {
    this.ctx.connections.connected(deviceId, at);
  }

  disconnected(deviceId: string, at: number, vanished: boolean): void {
    this.ctx.connections.disconnected(deviceId, at, vanished);
  }

  private uplink(deviceId: string, kind: Uplink['kind'], payload: unknown, receivedAt: number, frame?: Buffer): Uplink {
    return {
      deviceId,
      kind,
      payload: Buffer.from(JSON.stringify(payload)),
      receivedAt,
      fromWill: false,
      frameHex: frame?.toString('hex'),
    };
  }
}

import type { Location } from '../../../domain/wire.ts';
import type { Logger } from '../../../platform/logger.ts';
import { alarmIdTime, type DeviceIntake } from '../device-intake.ts';
import { type GatewayLimits, type Session, startTcpGateway, type TcpGateway } from '../tcp-gateway.ts';
import { type MoMessage, moConfirmation, parseMo, SESSION_STATUS, sessionSucceeded, splitMessage } from './directip.ts';
import type { SbdMtClient } from './mt-client.ts';
import { alarmAckPayload, decodePayload } from './payload.ts';

export interface SbdGatewayOptions {
  host: string;
  port: number;
  limits: GatewayLimits;
  logger: Logger;
  intake: DeviceIntake;
  /** Where alarm acknowledgements go back to the terminal; absent = none are sent. */
  mt: SbdMtClient | undefined;
  now(): number;
}

/**
 * `CENTINELA_SBD_PORT`: the Iridium gateway delivers each mobile-originated message on its own
 * TCP connection. A message is stored (an alarm durably, P1) before the MO confirmation; an alarm's
 * acknowledgement then goes back to the terminal as a mobile-terminated message.
 */
export function startSbdGateway(opts: SbdGatewayOptions): Promise<TcpGateway> {
  const { intake } = opts;
  const count = (outcome: string) => intake.metrics.frames.inc({ protocol: 'sbd', outcome });

  async function onFrame(s: Session<null>, frame: Buffer): Promise<void> {
    const receivedAt = opts.now();
    const parsed = parseMo(frame);
    if (!parsed.ok) {
      count(parsed.reason);
      return s.close(parsed.reason);
    }
    const m = parsed.message;
    if (m.unknownIes.length > 0) count('unknown_ie');
    const deviceId = await intake.resolve('sbd', m.header.imei, receivedAt);
    if (deviceId) await apply(deviceId, m, frame, receivedAt);
    s.send(moConfirmation(true));
  }

  async function apply(deviceId: string, m: MoMessage, frame: Buffer, receivedAt: number): Promise<void> {
    const status = m.header.sessionStatus;
    if (!sessionSucceeded(status)) {
      // A failed transfer: recorded for technicians, its bytes not trusted as a message.
      count('session_failed');
      intake.ctx.errors.record(
        deviceId,
        'sbd',
        'sbd_session_failed',
        `session status ${status} (${SESSION_STATUS[status] ?? 'unknown'}), MOMSN ${m.header.momsn}`,
        receivedAt,
      );
      return;
    }
    const p = m.payload ? decodePayload(m.payload) : undefined;
    if (m.payload && m.payload.length > 0 && !p) {
      count('unreadable_payload');
      intake.ctx.errors.record(deviceId, 'sbd', 'sbd_payload_unreadable', `MOMSN ${m.header.momsn}, ${m.payload.length} bytes`, receivedAt);
    }
    const loc: Location | undefined =
      p?.loc ?? (m.location ? { lat: m.location.lat, lon: m.location.lon, acc: m.location.cepKm * 1000 } : undefined);
    count('accepted');
    if (!p) return intake.polled(deviceId, m.header.sessionAt, 'sbd session');
    if (p.type === 'heartbeat') {
      intake.heartbeat(
        deviceId,
        {
          ts: p.at,
          seq: m.header.momsn,
          battery: p.battery,
          charging: p.charging,
          signal: { network: 'iridium' },
          ...(loc ? { loc } : {}),
        },
        receivedAt,
      );
      return;
    }
    if (p.type === 'event') {
      intake.event(deviceId, { ts: p.at, kind: p.kind, detail: { source: `sbd MOMSN ${m.header.momsn}` } }, receivedAt);
      return;
    }
    // The terminal resends an unacknowledged alarm with the same sequence and time: one press.
    await intake.alarm(
      deviceId,
      { id: `sbd-${p.seq}-${alarmIdTime(p.at, receivedAt)}`, ts: p.at, kind: p.kind, ...(loc ? { loc } : {}) },
      frame,
      receivedAt,
    );
    if (opts.mt) void opts.mt.send(m.header.imei, alarmAckPayload(p.seq));
  }

  return startTcpGateway<Buffer, null>({
    protocol: 'sbd',
    host: opts.host,
    port: opts.port,
    limits: opts.limits,
    logger: opts.logger,
    metrics: intake.metrics,
    initialState: () => null,
    split: splitMessage,
    onFrame,
    onDown: (reason) => intake.gatewayDown('sbd', 'sbd', opts.now(), reason),
  });
}

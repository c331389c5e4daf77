import type { AlarmPayload, DeviceEventKind, Location } from '../../../domain/wire.ts';
import { alarmIdTime, type DeviceIntake } from '../device-intake.ts';
import type { Session, TcpGateway, TcpGatewayOptions } from '../tcp-gateway.ts';
import { startTcpGateway } from '../tcp-gateway.ts';
import { encodeResponse, type Gt06Frame, type Gt06Position, type Gt06Status, MSG, splitFrame } from './decoder.ts';

interface Gt06Session {
  deviceId: string | undefined;
  imei: string | undefined;
  lastLoc: Location | undefined;
  lastBattery: number | undefined;
}

/**
 * GT06 alarm byte → what Centinela makes of it (docs/protocols.md "GT06"). SOS is a person in
 * danger; power cut, vibration and low battery are device events (after an alarm, a power cut
 * may mean the device was seized). Anything else rides as an event-less location.
 */
const ALARM_KINDS: Record<number, AlarmPayload['kind']> = { 1: 'sos' };
const EVENT_KINDS: Record<number, { kind: DeviceEventKind; detail: string }> = {
  2: { kind: 'power_lost', detail: 'gt06 power cut alarm' },
  3: { kind: 'tamper', detail: 'gt06 vibration alarm' },
  9: { kind: 'tamper', detail: 'gt06 vibration alarm' },
  14: { kind: 'low_battery', detail: 'gt06 low battery alarm' },
  15: { kind: 'low_battery', detail: 'gt06 low battery alarm' },
  17: { kind: 'power_lost', detail: 'gt06 switched off' },
};

export function gt06Location(p: Gt06Position): Location | undefined {
  return p.valid ? { lat: Number(p.lat.toFixed(6)), lon: Number(p.lon.toFixed(6)) } : undefined;
}

export interface Gt06GatewayOptions extends Pick<TcpGatewayOptions<Gt06Frame, Gt06Session>, 'host' | 'port' | 'limits' | 'logger'> {
  intake: DeviceIntake;
  now(): number;
}

/** `CENTINELA_GT06_PORT`: Concox GT06 trackers over TCP, as MQTT devices are (issue 17 §1). */
export function startGt06Gateway(opts: Gt06GatewayOptions): Promise<TcpGateway> {
  const { intake } = opts;
  const count = (outcome: string) => intake.metrics.frames.inc({ protocol: 'gt06', outcome });
  /**
   * Each device's newest connection. A tracker that reconnects leaves its old socket half-open
   * until it times out; that late close must not say the device vanished (after an alarm, a
   * disconnection reads as a possible seizure).
   */
  const current = new Map<string, Session<Gt06Session>>();

  async function onFrame(s: Session<Gt06Session>, f: Gt06Frame): Promise<void> {
    const receivedAt = opts.now();
    const m = f.message;
    if (m.type === 'login') {
      const deviceId = await intake.resolve('gt06', m.imei, receivedAt);
      // Unregistered: no answer (the device keeps retrying login, which a technician sees counted).
      if (!deviceId) return s.close('unregistered');
      s.state.deviceId = deviceId;
      current.set(deviceId, s);
      s.state.imei = m.imei;
      count('accepted');
      s.send(encodeResponse(f.protocol, f.serial));
      intake.connected(deviceId, receivedAt);
      return;
    }
    if (m.type === 'unknown') return count('unknown_type');
    const deviceId = s.state.deviceId;
    // Anything before login has no device: GT06 devices log in again when not answered.
    if (!deviceId) {
      count('before_login');
      return s.close('not_logged_in');
    }
    count('accepted');
    if (m.type === 'heartbeat') {
      s.state.lastBattery = m.status.battery;
      intake.heartbeat(deviceId, heartbeat(f.serial, m.status, receivedAt, s.state.lastLoc), receivedAt);
      s.send(encodeResponse(f.protocol, f.serial));
      return;
    }
    if (m.type === 'location') {
      const loc = gt06Location(m.position);
      if (loc) s.state.lastLoc = loc;
      // A location carries no battery: it becomes a heartbeat once the device has told us one.
      if (s.state.lastBattery !== undefined)
        intake.heartbeat(deviceId, { ...heartbeat(f.serial, undefined, m.position.at, loc), battery: s.state.lastBattery }, receivedAt);
      else intake.polled(deviceId, m.position.at, 'gt06 position');
      return;
    }
    // Alarm packet: the answer is the device's "help is coming" — sent only once stored (P1).
    const loc = gt06Location(m.position) ?? s.state.lastLoc;
    s.state.lastBattery = m.status.battery;
    const alarmKind = ALARM_KINDS[m.status.alarm];
    const event = EVENT_KINDS[m.status.alarm];
    const ts = m.position.at;
    if (alarmKind) {
      // The serial wraps at 65,536 and restarts with the device: the time part makes the id unique.
      const id = `gt06-${f.serial}-${alarmIdTime(ts, receivedAt)}`;
      await intake.alarm(deviceId, { id, ts, kind: alarmKind, ...(loc ? { loc } : {}) }, f.raw, receivedAt);
    } else if (event) {
      intake.event(
        deviceId,
        { ts, kind: event.kind, detail: { source: event.detail, ...(loc ? { lat: loc.lat, lon: loc.lon } : {}) } },
        receivedAt,
      );
    } else {
      count('alarm_ignored');
    }
    s.send(encodeResponse(f.protocol, f.serial));
  }

  return startTcpGateway<Gt06Frame, Gt06Session>({
    protocol: 'gt06',
    host: opts.host,
    port: opts.port,
    limits: opts.limits,
    logger: opts.logger,
    metrics: intake.metrics,
    initialState: () => ({ deviceId: undefined, imei: undefined, lastLoc: undefined, lastBattery: undefined }),
    split: splitFrame,
    onFrame,
    onDown: (reason) => intake.gatewayDown('gt06', 'gt06', opts.now(), reason),
    onClose: (s, vanished) => {
      const deviceId = s.state.deviceId;
      if (!deviceId || current.get(deviceId) !== s) return;
      current.delete(deviceId);
      intake.disconnected(deviceId, opts.now(), vanished);
    },
  });
}

function heartbeat(serial: number, status: Gt06Status | undefined, ts: number, loc: Location | undefined) {
  return {
    ts,
    seq: serial,
    battery: status?.battery ?? 0,
    ...(status ? { charging: status.charging } : {}),
    signal: { network: '2g' as const, ...(status ? { bars: status.gsmBars } : {}) },
    ...(loc ? { loc } : {}),
  };
}

export { MSG };

import net from 'node:net';
import { connectPacket, packetReader, publishPacket } from './ingest-mqtt-wire.ts';

/**
 * One load-generating child process of bench/restart-storm.ts: a slice of the fleet as devices
 * that behave like real ones after an outage. Each holds one socket; when it closes (the server
 * was killed) the device waits its reconnect period plus jitter and tries again, and gives a
 * CONNECT up after `connectTimeoutMs` without CONNACK. An alarm not acknowledged when the socket
 * closes is published again, with the same alarm id, once the device is back (P1).
 */
export type StormCommand =
  | {
      cmd: 'start';
      port: number;
      devices: { id: string; secret: string }[];
      reconnectMs: number;
      jitterMs: number;
      connectTimeoutMs: number;
    }
  | { cmd: 'retarget'; port: number }
  | { cmd: 'heartbeats'; ratePerS: number; seconds: number }
  | { cmd: 'alarms'; count: number; ratePerS: number; tag: string }
  | { cmd: 'report' }
  | { cmd: 'exit' };

export interface AlarmRecord {
  id: string;
  pressedAt: number;
  /** When the PUBLISH that was acknowledged was written. */
  sentAt: number;
  ackedAt: number | undefined;
  attempts: number;
}

export type StormReport =
  | { type: 'ready' }
  | { type: 'count'; at: number; connected: number; refused: number; timeouts: number; attempts: number }
  | { type: 'heartbeats'; sent: number; acked: number }
  | { type: 'alarms-sent'; count: number }
  | { type: 'report'; alarms: AlarmRecord[] };

interface Device {
  id: string;
  secret: string;
  socket: net.Socket | undefined;
  connected: boolean;
  nextMid: number;
  /** message id → alarm waiting for its PUBACK on the current socket. */
  pendingAlarms: Map<number, AlarmRecord>;
  pendingHeartbeats: Set<number>;
  /** Alarms pressed while offline or not acknowledged before the socket closed. */
  queued: AlarmRecord[];
}

const send = (r: StormReport) => process.send?.(r);
const devices: Device[] = [];
const alarms: AlarmRecord[] = [];
let port = 0;
let options = { reconnectMs: 1000, jitterMs: 1000, connectTimeoutMs: 30_000 };
let connected = 0;
let refused = 0;
let timeouts = 0;
let attempts = 0;
let hbSent = 0;
let hbAcked = 0;

/** Epoch ms with sub-millisecond resolution: Date.now()'s whole milliseconds add up to 1 ms to a PUBACK's measured latency. */
function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}

function nextMid(d: Device): number {
  const mid = d.nextMid;
  d.nextMid = d.nextMid === 65535 ? 1 : d.nextMid + 1;
  return mid;
}

function publishAlarm(d: Device, a: AlarmRecord): void {
  if (!d.connected || !d.socket) {
    d.queued.push(a);
    return;
  }
  const mid = nextMid(d);
  a.attempts += 1;
  a.sentAt = preciseNow();
  d.pendingAlarms.set(mid, a);
  const payload = JSON.stringify({ id: a.id, ts: a.pressedAt, kind: 'panic' });
  d.socket.write(publishPacket(`v1/devices/${d.id}/alarm`, mid, Buffer.from(payload)));
}

function open(d: Device): void {
  attempts += 1;
  const socket = net.connect({ port, host: '127.0.0.1', noDelay: true });
  d.socket = socket;
  const giveUp = setTimeout(() => {
    timeouts += 1;
    socket.destroy();
  }, options.connectTimeoutMs);
  socket.on('error', () => {});
  socket.once('connect', () => socket.write(connectPacket(d.id, d.id, d.secret)));
  socket.on(
    'data',
    packetReader((type, value) => {
      if (type === 2) {
        clearTimeout(giveUp);
        if (value !== 0) {
          refused += 1;
          return;
        }
        d.connected = true;
        connected += 1;
        for (const a of d.queued.splice(0)) publishAlarm(d, a);
        return;
      }
      if (type !== 4) return;
      const a = d.pendingAlarms.get(value);
      if (a) {
        d.pendingAlarms.delete(value);
        a.ackedAt = preciseNow();
      } else if (d.pendingHeartbeats.delete(value)) hbAcked += 1;
    }),
  );
  socket.once('close', () => {
    clearTimeout(giveUp);
    if (d.connected) connected -= 1;
    d.connected = false;
    d.socket = undefined;
    // Unacknowledged alarms go again on the next connection (QoS 1 at least once).
    d.queued.push(...d.pendingAlarms.values());
    d.pendingAlarms.clear();
    d.pendingHeartbeats.clear();
    if (stopping) return;
    setTimeout(() => open(d), options.reconnectMs + Math.random() * options.jitterMs);
  });
}

let stopping = false;

async function heartbeats(ratePerS: number, seconds: number): Promise<void> {
  hbSent = 0;
  hbAcked = 0;
  const started = Date.now();
  let i = 0;
  while (Date.now() - started < seconds * 1000) {
    const due = Math.floor(((Date.now() - started) / 1000) * ratePerS) - hbSent;
    for (let k = 0; k < due; k++) {
      const d = devices[i++ % devices.length] as Device;
      if (!d.connected || !d.socket) continue;
      const mid = nextMid(d);
      d.pendingHeartbeats.add(mid);
      const payload = JSON.stringify({ ts: Date.now(), seq: mid, battery: 80, signal: { network: 'lte', rssi: -70 } });
      d.socket.write(publishPacket(`v1/devices/${d.id}/heartbeat`, mid, Buffer.from(payload)));
      hbSent += 1;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  const deadline = Date.now() + 10_000;
  while (hbAcked < hbSent && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  send({ type: 'heartbeats', sent: hbSent, acked: hbAcked });
}

/** Alarms from distinct devices (each opens its own alarm), paced at `ratePerS`. */
async function pressAlarms(count: number, ratePerS: number, tag: string): Promise<void> {
  const offset = Math.floor(Math.random() * devices.length);
  for (let k = 0; k < count; k++) {
    const d = devices[(offset + k) % devices.length] as Device;
    const a: AlarmRecord = { id: `${tag}-${d.id}-${k}`, pressedAt: Date.now(), sentAt: 0, ackedAt: undefined, attempts: 0 };
    alarms.push(a);
    publishAlarm(d, a);
    await new Promise((r) => setTimeout(r, 1000 / ratePerS));
  }
  send({ type: 'alarms-sent', count });
}

const counter = setInterval(() => send({ type: 'count', at: Date.now(), connected, refused, timeouts, attempts }), 100);

process.on('message', (m: StormCommand) => {
  if (m.cmd === 'start') {
    port = m.port;
    options = { reconnectMs: m.reconnectMs, jitterMs: m.jitterMs, connectTimeoutMs: m.connectTimeoutMs };
    for (const dev of m.devices) {
      const d: Device = {
        ...dev,
        socket: undefined,
        connected: false,
        nextMid: 1,
        pendingAlarms: new Map(),
        pendingHeartbeats: new Set(),
        queued: [],
      };
      devices.push(d);
      open(d);
    }
  } else if (m.cmd === 'retarget') port = m.port;
  else if (m.cmd === 'heartbeats') void heartbeats(m.ratePerS, m.seconds);
  else if (m.cmd === 'alarms') void pressAlarms(m.count, m.ratePerS, m.tag);
  else if (m.cmd === 'report') send({ type: 'report', alarms });
  else if (m.cmd === 'exit') {
    stopping = true;
    clearInterval(counter);
    for (const d of devices) d.socket?.destroy();
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
send({ type: 'ready' });

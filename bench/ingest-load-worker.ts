import net from 'node:net';
import { connectPacket, packetReader, publishPacket } from './ingest-mqtt-wire.ts';

/**
 * One load-generating child process (a process holds at most ~19,500 sockets here). Driven over
 * IPC by bench/ingest-bench.ts: connect a slice of the fleet, then run closed- or open-loop steps.
 */
interface Conn {
  id: string;
  socket: net.Socket;
  nextId: number;
  /** message id → [sent at (ns), is alarm] */
  pending: Map<number, [bigint, boolean]>;
}

const conns: Conn[] = [];
let hbAcked = 0;
let alarmsAcked = 0;
let latencies: number[] = [];
let onAck: (() => void) | undefined;
let alarmSeq = 0;
/** Messages sent and not yet acknowledged, across all connections (kept, not recounted: O(1)). */
let inFlight = 0;

const send = (m: unknown) => process.send?.(m);

function connect(port: number, id: string, secret: string): Promise<Conn | undefined> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1', noDelay: true });
    const conn: Conn = { id, socket, nextId: 1, pending: new Map() };
    let settled = false;
    const settle = (ok: boolean) => {
      if (settled) return;
      settled = true;
      resolve(ok ? conn : undefined);
    };
    socket.on('error', () => settle(false));
    socket.on('close', () => {
      // Whatever was in flight on a closed connection will never be acknowledged.
      inFlight -= conn.pending.size;
      conn.pending.clear();
      settle(false);
    });
    socket.on(
      'data',
      packetReader((type, value) => {
        if (type === 2) return settle(value === 0);
        if (type !== 4) return;
        const p = conn.pending.get(value);
        if (!p) return;
        conn.pending.delete(value);
        inFlight--;
        if (p[1]) {
          alarmsAcked++;
          latencies.push(Number(process.hrtime.bigint() - p[0]) / 1e6);
        } else hbAcked++;
        onAck?.();
      }),
    );
    socket.once('connect', () => socket.write(connectPacket(id, id, secret)));
  });
}

function publish(c: Conn, kind: 'heartbeat' | 'alarm'): void {
  const mid = c.nextId;
  c.nextId = c.nextId === 65535 ? 1 : c.nextId + 1;
  const payload =
    kind === 'alarm'
      ? JSON.stringify({ id: `${c.id}-${process.pid}-${alarmSeq++}`, ts: Date.now(), kind: 'panic' })
      : JSON.stringify({ ts: Date.now(), seq: mid, battery: 80, signal: { network: 'lte', rssi: -70 } });
  if (!c.pending.has(mid)) inFlight++;
  c.pending.set(mid, [process.hrtime.bigint(), kind === 'alarm']);
  c.socket.write(publishPacket(`v1/devices/${c.id}/${kind}`, mid, Buffer.from(payload)));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const outstanding = () => inFlight;

async function drain(maxMs: number): Promise<void> {
  const deadline = Date.now() + maxMs;
  while (outstanding() > 0 && Date.now() < deadline) await sleep(20);
}

function reset() {
  hbAcked = 0;
  alarmsAcked = 0;
  latencies = [];
}

/** Closed loop: keep `window` heartbeats in flight; alarms at `alarmRate`/s from the first devices. */
async function closedLoop(seconds: number, window: number, alarmRate: number) {
  reset();
  let sent = 0;
  let alarms = 0;
  let i = 0;
  const live = conns.filter((c) => !c.socket.destroyed);
  let running = true;
  const pump = () => {
    while (running && outstanding() < window && live.length > 0) {
      publish(live[i++ % live.length] as Conn, 'heartbeat');
      sent++;
    }
  };
  onAck = pump;
  pump();
  const alarmTimer =
    alarmRate > 0
      ? setInterval(() => {
          publish(live[alarms % Math.min(50, live.length)] as Conn, 'alarm');
          alarms++;
        }, 1000 / alarmRate)
      : undefined;
  await sleep(seconds * 1000);
  running = false;
  if (alarmTimer) clearInterval(alarmTimer);
  onAck = undefined;
  await drain(10_000);
  return { sent, hbAcked, alarmsSent: alarms, alarmsAcked, latencies, unacked: outstanding() };
}

/** Open loop: offer `rate` heartbeats/s regardless of acknowledgements, alarms mixed in. */
async function openLoop(seconds: number, rate: number, alarmRate: number) {
  reset();
  const live = conns.filter((c) => !c.socket.destroyed);
  let sent = 0;
  let alarms = 0;
  let i = 0;
  const started = Date.now();
  const tickMs = 10;
  while (Date.now() - started < seconds * 1000) {
    const elapsed = (Date.now() - started) / 1000;
    const due = Math.floor(elapsed * rate) - sent;
    for (let k = 0; k < due && live.length > 0; k++, sent++) publish(live[i++ % live.length] as Conn, 'heartbeat');
    const alarmsDue = Math.floor(elapsed * alarmRate) - alarms;
    for (let k = 0; k < alarmsDue; k++, alarms++) publish(live[alarms % Math.min(50, live.length)] as Conn, 'alarm');
    await sleep(tickMs);
  }
  await drain(20_000);
  return {
    sent,
    hbAcked,
    alarmsSent: alarms,
    alarmsAcked,
    latencies,
    unacked: outstanding(),
    disconnected: live.filter((c) => c.socket.destroyed).length,
  };
}

process.on('message', async (m: { cmd: string; [k: string]: unknown }) => {
  if (m.cmd === 'connect') {
    const started = Date.now();
    const ids = m.ids as string[];
    const concurrency = Number(m.concurrency ?? 200);
    let failed = 0;
    for (let k = 0; k < ids.length; k += concurrency) {
      const batch = await Promise.all(ids.slice(k, k + concurrency).map((id) => connect(Number(m.port), id, String(m.secret))));
      for (const c of batch) c ? conns.push(c) : failed++;
    }
    send({ connected: conns.length, failed, ms: Date.now() - started });
  } else if (m.cmd === 'closed') {
    send(await closedLoop(Number(m.seconds), Number(m.window), Number(m.alarmRate)));
  } else if (m.cmd === 'open') {
    send(await openLoop(Number(m.seconds), Number(m.rate), Number(m.alarmRate)));
  } else if (m.cmd === 'exit') {
    for (const c of conns) c.socket.destroy();
    process.exit(0);
  }
});
send({ ready: true });

/**
 * Scale-out (issue 8): heartbeat throughput and alarm latency with 1, 2 and 3 `centinela serve`
 * nodes on one PostgreSQL schema and one Redis database, all on this machine. Devices are spread
 * over the nodes round-robin; this process is the load generator and the local Twilio.
 *
 *   node --import tsx bench/scale-bench.ts [--nodes 1,2,3] [--devices 600] [--rate 250] [--seconds 20] [--alarms 12] [--burst 15]
 *
 * Per cluster size it runs:
 *   1. steady: `rate` heartbeats/s at QoS 1 for `seconds`, each device under its admission refill
 *      (0.5/s), with `alarms` panic alarms spread through it on their own devices;
 *   2. burst: every device sends `burst` heartbeats at once (within its admission burst of 20);
 *      the time until every one is counted is the peak intake rate.
 * CPU is read from /proc for each node, this generator, Redis and PostgreSQL (whole servers:
 * other users of them count too). Not a test: it prints Markdown rows for bench/scale-results.md.
 */
import fs from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import mqtt, { type MqttClient } from 'mqtt';
import { hashSecret } from '../src/platform/secrets.ts';
import { systemActor } from '../src/store/index.ts';
import { type Cluster, type ClusterNode, counter, openStream, type SseStream, startCluster } from '../test/fixtures/cluster.ts';

const { values } = parseArgs({
  options: {
    nodes: { type: 'string', default: '1,2,3' },
    devices: { type: 'string', default: '600' },
    rate: { type: 'string', default: '250' },
    seconds: { type: 'string', default: '20' },
    alarms: { type: 'string', default: '12' },
    burst: { type: 'string', default: '15' },
  },
});
const SIZES = values.nodes.split(',').map(Number);
const DEVICES = Number(values.devices);
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);
const ALARMS = Number(values.alarms);
const BURST = Number(values.burst);
const SECRET = 'bench-secret';
const admin = systemActor('bench');
/** /proc/<pid>/stat counts CPU in clock ticks: USER_HZ, 100 on Linux. */
const TICK_S = 100;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { n: s.length, p50: percentile(s, 50), p99: percentile(s, 99), max: s[s.length - 1] ?? NaN };
};
const fmt = (ms: number) => (Number.isFinite(ms) ? ms.toFixed(ms < 10 ? 1 : 0) : '—');

/** CPU seconds (user + system) a process has used, from /proc. */
function cpuOf(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / TICK_S;
  } catch {
    return 0;
  }
}
/** CPU seconds by pid of every process with that name (PostgreSQL runs one per connection). */
function cpuByPid(name: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === name) out.set(Number(entry), cpuOf(Number(entry)));
    } catch {
      // The process ended while we looked.
    }
  }
  return out;
}
/** CPU used between two readings: processes born meanwhile count whole, those gone are lost. */
const usedBetween = (a: Map<number, number>, b: Map<number, number>) => {
  let sum = 0;
  for (const [pid, cpu] of b) sum += cpu - (a.get(pid) ?? 0);
  return sum;
};

interface CpuSnapshot {
  nodes: number[];
  generator: number;
  redis: Map<number, number>;
  postgres: Map<number, number>;
  at: number;
}
const snapshot = (nodes: ClusterNode[]): CpuSnapshot => {
  const self = process.cpuUsage();
  return {
    nodes: nodes.map((n) => cpuOf(n.serve.child.pid as number)),
    generator: (self.user + self.system) / 1e6,
    redis: cpuByPid('redis-server'),
    postgres: cpuByPid('postgres'),
    at: performance.now(),
  };
};
const cpuDelta = (a: CpuSnapshot, b: CpuSnapshot) => ({
  nodes: b.nodes.reduce((s, v, i) => s + v - (a.nodes[i] ?? 0), 0),
  generator: b.generator - a.generator,
  redis: usedBetween(a.redis, b.redis),
  postgres: usedBetween(a.postgres, b.postgres),
  wallS: (b.at - a.at) / 1000,
});

async function heartbeatsCounted(nodes: ClusterNode[]): Promise<{ accepted: number; shed: number; overload: number }> {
  const texts = await Promise.all(nodes.map((n) => n.metrics()));
  const sum = (name: string, labels = '') => texts.reduce((s, t) => s + counter(t, name, labels), 0);
  return {
    accepted: sum('centinela_ingest_messages_total', 'kind="heartbeat"'),
    shed: sum('centinela_ingest_heartbeats_shed_total'),
    // Shed because the node judged itself overloaded (event-loop lag), not because of the device.
    overload: sum('centinela_ingest_heartbeats_shed_total', 'reason="overload"'),
  };
}

const heartbeat = (seq: number) => JSON.stringify({ ts: Date.now(), seq, battery: 88, signal: { network: 'lte', rssi: -75 } });

async function connectAll(ids: string[], ports: number[]): Promise<MqttClient[]> {
  const clients: MqttClient[] = new Array(ids.length);
  // Each connect costs one scrypt (~30 ms) on its node: a few at a time.
  for (let i = 0; i < ids.length; i += 20) {
    await Promise.all(
      ids.slice(i, i + 20).map(async (id, j) => {
        const port = ports[(i + j) % ports.length] as number;
        clients[i + j] = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, {
          clientId: id,
          username: id,
          password: SECRET,
          protocolVersion: 4,
          reconnectPeriod: 0,
          connectTimeout: 30_000,
        });
      }),
    );
  }
  return clients;
}

interface AlarmSample {
  puback: number;
  sms: number;
  streamOtherNode: number;
}

async function runSize(size: number): Promise<string> {
  const names = ['a', 'b', 'c'].slice(0, size);
  const cluster: Cluster = await startCluster({ nodes: names, env: { CENTINELA_LOG_LEVEL: 'info' } });
  try {
    const nodes = names.map((n) => cluster.node(n));
    const ports = nodes.map((n) => n.mqttPort as number);
    const repos = cluster.db.repos;
    const hash = await hashSecret(SECRET);
    const tag = `${size}n${Date.now().toString(36)}`;

    const ids = Array.from({ length: DEVICES }, (_, i) => `hb-${tag}-${i}`);
    for (let i = 0; i < ids.length; i += 50)
      await Promise.all(
        ids
          .slice(i, i + 50)
          .map((id) => repos.devices.create(admin, { id, modelId: 'panic-button', beneficiaryId: null, stateCode: 'VER' }, hash)),
      );
    const alarmDevices: { id: string; phone: string; client?: MqttClient }[] = [];
    for (let i = 0; i < ALARMS; i++) {
      const ben = await repos.beneficiaries.create(admin, {
        alias: `B${i}`,
        fullName: `Bench ${i}`,
        kind: 'defender',
        stateCode: 'GRO',
        riskLevel: 'high',
        language: 'es',
        presumedAggressors: [],
      });
      const phone = `+5274730${String(i).padStart(5, '0')}`;
      await repos.contacts.create(admin, {
        beneficiaryId: ben.id,
        name: 'C',
        phone,
        relation: 'x',
        language: 'es',
        channels: ['sms'],
        priority: 0,
      });
      const id = `al-${tag}-${i}`;
      await repos.devices.create(admin, { id, modelId: 'panic-button', beneficiaryId: ben.id, stateCode: 'GRO' }, hash);
      alarmDevices.push({ id, phone });
    }

    const clients = await connectAll(ids, ports);
    const alarmClients = await connectAll(
      alarmDevices.map((d) => d.id),
      ports,
    );
    alarmDevices.forEach((d, i) => {
      d.client = alarmClients[i];
    });
    // The operator watches the node after the one each alarm is raised on (the same one with one node).
    const streams: SseStream[] = await Promise.all(nodes.map((n) => openStream(n.httpUrl, cluster.tokens.operator)));

    // ---- idle: what the nodes cost with devices connected and nothing to do (pollers, timers) ----
    const idle0 = snapshot(nodes);
    await new Promise((r) => setTimeout(r, 5_000));
    const idle = cpuDelta(idle0, snapshot(nodes));
    const idleNodesPerS = idle.nodes / idle.wallS;

    // ---- steady heartbeats, alarms spread through them ----
    const acks: number[] = [];
    let sent = 0;
    let failed = 0;
    const before = await heartbeatsCounted(nodes);
    const cpu0 = snapshot(nodes);
    const total = RATE * SECONDS;
    const start = performance.now();
    const alarmEvery = (SECONDS * 1000) / Math.max(1, ALARMS);
    const alarmSamples: Promise<AlarmSample>[] = [];
    let nextAlarm = alarmEvery / 2;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const elapsed = performance.now() - start;
        const due = Math.min(total, Math.floor((elapsed / 1000) * RATE));
        for (; sent < due; sent++) {
          const client = clients[sent % clients.length] as MqttClient;
          const id = ids[sent % ids.length] as string;
          const t0 = performance.now();
          client.publishAsync(`v1/devices/${id}/heartbeat`, heartbeat(sent), { qos: 1 }).then(
            () => acks.push(performance.now() - t0),
            () => failed++,
          );
        }
        while (elapsed >= nextAlarm && alarmSamples.length < ALARMS) {
          const i = alarmSamples.length;
          alarmSamples.push(raiseAlarm(alarmDevices[i] as (typeof alarmDevices)[number], streams[(i + 1) % size] as SseStream, cluster));
          nextAlarm += alarmEvery;
        }
        if (sent >= total && alarmSamples.length >= ALARMS) {
          clearInterval(timer);
          resolve();
        }
      }, 5);
    });
    const alarms = await Promise.all(alarmSamples);
    while (acks.length + failed < total) await new Promise((r) => setTimeout(r, 20));
    let counted = await heartbeatsCounted(nodes);
    while (counted.accepted + counted.shed - before.accepted - before.shed < total) {
      await new Promise((r) => setTimeout(r, 50));
      counted = await heartbeatsCounted(nodes);
    }
    const cpu1 = snapshot(nodes);
    const steady = cpuDelta(cpu0, cpu1);
    const steadyAccepted = counted.accepted - before.accepted;
    const steadyShed = counted.shed - before.shed;
    const steadyOverload = counted.overload - before.overload;
    const ackStats = stats(acks);

    // ---- burst: every device empties most of its admission bucket at once ----
    const burstTotal = DEVICES * BURST;
    const b0 = await heartbeatsCounted(nodes);
    const cpu2 = snapshot(nodes);
    const burstStart = performance.now();
    let burstAcked = 0;
    const burstAcks = clients.flatMap((client, i) =>
      Array.from({ length: BURST }, (_, k) =>
        client.publishAsync(`v1/devices/${ids[i]}/heartbeat`, heartbeat(1_000_000 + k), { qos: 1 }).then(() => burstAcked++),
      ),
    );
    await Promise.allSettled(burstAcks);
    const burstPubackMs = performance.now() - burstStart;
    let b1 = await heartbeatsCounted(nodes);
    while (b1.accepted + b1.shed - b0.accepted - b0.shed < burstTotal) {
      await new Promise((r) => setTimeout(r, 20));
      b1 = await heartbeatsCounted(nodes);
    }
    const burstMs = performance.now() - burstStart;
    const cpu3 = snapshot(nodes);
    const burst = cpuDelta(cpu2, cpu3);
    const burstAccepted = b1.accepted - b0.accepted;

    for (const s of streams) s.close();
    await Promise.all([...clients, ...alarmClients].map((c) => c?.endAsync(true)));

    const perK = (cpuS: number, n: number) => ((cpuS * 1000) / Math.max(1, n)) * 1000; // CPU ms per 1,000 heartbeats
    // The nodes' own idle cost (escalation pollers, timers) taken out, so sizes compare per message.
    const net = (d: ReturnType<typeof cpuDelta>) => Math.max(0, d.nodes - idleNodesPerS * d.wallS);
    const pct = (cpuS: number, wallS: number) => `${Math.round((cpuS / wallS) * 100)}%`;
    const load = os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ');
    const a = {
      puback: stats(alarms.map((x) => x.puback)),
      sms: stats(alarms.map((x) => x.sms)),
      stream: stats(alarms.map((x) => x.streamOtherNode).filter(Number.isFinite)),
    };
    return [
      `| ${size} | ${RATE}/s × ${SECONDS} s | ${steadyAccepted} (+${steadyShed} shed, ${steadyOverload} of them for overload; ${failed} failed) | ${fmt(ackStats.p50)} / ${fmt(ackStats.p99)} ms` +
        ` | ${fmt(perK(net(steady), steadyAccepted))} (${pct(steady.nodes, steady.wallS)}, idle ${pct(idle.nodes, idle.wallS)})` +
        ` | ${fmt(perK(steady.redis, steadyAccepted))} | ${fmt(perK(steady.postgres, steadyAccepted))}` +
        ` | ${fmt(perK(steady.generator, steadyAccepted))} | ${load} |`,
      `| ${size} | burst ${DEVICES} × ${BURST} | ${burstAccepted} (+${b1.shed - b0.shed} shed, ${b1.overload - b0.overload} for overload) in ${(burstMs / 1000).toFixed(1)} s = ${Math.round(burstAccepted / (burstMs / 1000))}/s` +
        ` (PUBACKs ${burstAcked} in ${(burstPubackMs / 1000).toFixed(1)} s) | — | ${fmt(perK(net(burst), burstAccepted))} (${pct(burst.nodes, burst.wallS)})` +
        ` | ${fmt(perK(burst.redis, burstAccepted))}` +
        ` | ${fmt(perK(burst.postgres, burstAccepted))} | ${fmt(perK(burst.generator, burstAccepted))} | ${load} |`,
      `ALARMS ${size} | ${a.puback.n} | ${fmt(a.puback.p50)} / ${fmt(a.puback.p99)} | ${fmt(a.sms.p50)} / ${fmt(a.sms.p99)} | ${
        a.stream.n === 0 ? 'never arrived' : `${fmt(a.stream.p50)} / ${fmt(a.stream.p99)} (${a.stream.n}/${alarms.length})`
      } | ${load} |`,
    ].join('\n');
  } finally {
    await cluster.stop();
  }
}

/** One panic alarm: PUBACK (stored, P1), first SMS at the local Twilio, alarm.opened on another node's stream. */
async function raiseAlarm(
  d: { id: string; phone: string; client?: MqttClient },
  stream: SseStream,
  cluster: Cluster,
): Promise<AlarmSample> {
  const tDate = Date.now();
  const t0 = performance.now();
  const smsArrived = cluster.recorder.waitFor((r) => r.kind === 'sms' && r.form.To === d.phone);
  await d.client?.publishAsync(`v1/devices/${d.id}/alarm`, JSON.stringify({ id: `p-${d.id}`, ts: Date.now(), kind: 'panic' }), { qos: 1 });
  const puback = performance.now() - t0;
  const sms = (await smsArrived).hr - t0;
  const seen = await Promise.race([
    stream.waitFor((e) => e.event === 'alarm.opened' && e.data.deviceId === d.id),
    new Promise<undefined>((r) => setTimeout(() => r(undefined), 5_000)),
  ]);
  return { puback, sms, streamOtherNode: seen ? seen.at - tDate : Number.NaN };
}

console.log(
  `# scale-out bench — ${new Date().toISOString()} — ${os.cpus().length} CPUs, load ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
console.log(`devices ${DEVICES}, steady ${RATE}/s for ${SECONDS} s, burst ${BURST} per device, ${ALARMS} alarms per size\n`);
const rows: string[] = [];
for (const size of SIZES) {
  const out = await runSize(size);
  console.log(out);
  rows.push(out);
}
const redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
console.log(`\nredis ${(await redis.info('server')).match(/redis_version:(\S+)/)?.[1]}`);
redis.disconnect();

import net from 'node:net';
import { Aedes } from 'aedes';
import { loadConfig } from '../src/config/index.ts';
import { startCentinela } from '../src/main.ts';
import { createLogger } from '../src/platform/index.ts';

/**
 * The broker under test, alone in its process so its CPU time is its own: `centinela` (the whole
 * product, embedded mode, SQLite in CENTINELA_DATA_DIR) or `aedes` (plain aedes 1.2, no auth, no
 * storage, the same noDelay TCP server). Reports CPU, memory and counters over IPC.
 */
const mode = process.argv[2];
const send = (m: unknown) => process.send?.(m);

async function main(): Promise<void> {
  let stats: () => Promise<Record<string, number>> = async () => ({});
  let port: number;
  if (mode === 'aedes') {
    const broker = await Aedes.createBroker();
    const server = net.createServer({ noDelay: true }, (s) => broker.handle(s));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as net.AddressInfo).port;
  } else {
    const config = loadConfig({
      ...process.env,
      CENTINELA_HTTP_PORT: '0',
      CENTINELA_MQTT_PORT: '0',
      CENTINELA_HTTP_HOST: '127.0.0.1',
      CENTINELA_MQTT_HOST: '127.0.0.1',
    });
    let mqttPort = 0;
    const logger = createLogger({
      level: 'info',
      destination: {
        write(line: string) {
          const entry = JSON.parse(line) as { msg?: string; port?: number; tls?: boolean; level?: number };
          if (entry.msg === 'mqtt listening' && entry.tls === false) mqttPort = Number(entry.port);
          if ((entry.level ?? 0) >= 40) process.stderr.write(line);
        },
      },
    });
    const c = await startCentinela(config, { logger, listen: false });
    port = mqttPort;
    const sum = async (name: string, label?: [string, string]) => {
      const m = await c.metrics.registry.getSingleMetric(name)?.get();
      return (m?.values ?? [])
        .filter((v) => !label || String((v.labels as Record<string, unknown>)[label[0]]) === label[1])
        .reduce((s, v) => s + v.value, 0);
    };
    stats = async () => ({
      heartbeatsAccepted: await sum('centinela_ingest_messages_total', ['kind', 'heartbeat']),
      heartbeatsShed: await sum('centinela_ingest_heartbeats_shed_total'),
      alarmPresses: Number(
        (
          await c.store.db
            .selectFrom('alarm_presses')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
      overloaded: await sum('centinela_ingest_overloaded'),
    });
  }
  process.on('message', async (m: { cmd: string }) => {
    if (m.cmd === 'stats') {
      const cpu = process.cpuUsage();
      const mem = process.memoryUsage();
      send({ cpuUs: cpu.user + cpu.system, rssMb: Math.round(mem.rss / 1e6), heapMb: Math.round(mem.heapUsed / 1e6), ...(await stats()) });
    } else if (m.cmd === 'exit') process.exit(0);
  });
  send({ port });
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});

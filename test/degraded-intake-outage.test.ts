import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { JOURNAL_FILE } from '../src/store/index.ts';
import { freshStore } from './fixtures/databases.ts';
import { killHard, type ServerProcess, startServerProcess } from './fixtures/ingest-process.ts';
import { eventually } from './fixtures/ingest-wait.ts';
import { alarm, type DeviceCredentials, registerDevice } from './fixtures/mqtt.ts';
import { TcpFaultProxy } from './fixtures/tcp-fault-proxy.ts';

/**
 * Issue 13 §2 with real processes: PostgreSQL goes down (the proxy in front of it cuts every
 * connection and refuses new ones). Devices stay connected, a device that reconnects is admitted,
 * every alarm is PUBACKed once it is in the node's journal; Centinela is then killed with -9
 * during the outage and restarted with the database back: every PUBACKed alarm is stored once.
 */
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
});

const CHILD_PROCESS_TIMEOUT = 180_000;

function device(port: number, d: DeviceCredentials): Promise<MqttClient> {
  return mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, {
    clientId: d.id,
    username: d.id,
    password: d.secret,
    protocolVersion: 4,
    clean: false,
    reconnectPeriod: 0,
  });
}

/** A fresh PostgreSQL schema reached through a proxy the test can cut; both removed after the test. */
async function postgresBehindProxy() {
  const db = await freshStore('postgres');
  cleanups.push(() => db.cleanup());
  const url = new URL(db.env.DATABASE_URL as string);
  const proxy = new TcpFaultProxy(Number(url.port || 5432));
  url.port = String(await proxy.start());
  cleanups.push(() => proxy.stop());
  return { db, url, proxy };
}

describe('a PostgreSQL outage (postgres)', () => {
  it(
    'keeps devices connected, PUBACKs journaled alarms, and after a kill -9 stores every PUBACKed alarm once',
    async () => {
      const { db, url, proxy } = await postgresBehindProxy();
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'centinela-outage-'));
      cleanups.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
      const env = { DATABASE_URL: url.toString(), CENTINELA_DATA_DIR: dataDir, CENTINELA_ALARM_STORE_TIMEOUT_MS: '1000' };
      const servers: ServerProcess[] = [];
      cleanups.push(async () => {
        for (const s of servers) await killHard(s).catch(() => {});
      });
      servers.push(await startServerProcess(env));
      const port = (servers[0] as ServerProcess).mqttPort;

      const devices: DeviceCredentials[] = [];
      for (let i = 0; i < 3; i++) devices.push(await registerDevice(db.repos, `pb-outage-${i}`));
      const clients = await Promise.all(devices.map((d) => device(port, d)));
      let closes = 0;
      for (const c of clients) {
        c.on('close', () => closes++);
        cleanups.push(async () => void c.end(true));
      }

      await proxy.refuse();
      const acked: string[] = [];
      const press = async (c: MqttClient, d: DeviceCredentials, id: string) => {
        await c.publishAsync(`v1/devices/${d.id}/alarm`, alarm(id), { qos: 1 });
        acked.push(id);
      };
      await Promise.all(clients.map((c, i) => press(c, devices[i] as DeviceCredentials, `down-${i}-a`)));
      await Promise.all(clients.map((c, i) => press(c, devices[i] as DeviceCredentials, `down-${i}-b`)));
      expect(closes).toBe(0);

      // A device that hangs up and comes back during the outage is admitted and heard.
      const first = clients[0] as MqttClient;
      first.removeAllListeners('close');
      first.end(true);
      const again = await device(port, devices[0] as DeviceCredentials);
      cleanups.push(async () => void again.end(true));
      await press(again, devices[0] as DeviceCredentials, 'down-0-after-reconnect');
      expect(acked).toHaveLength(7);
      expect(fs.statSync(path.join(dataDir, JOURNAL_FILE)).size).toBeGreaterThan(0);

      // Killed during the outage; started again with the database back.
      await killHard(servers[0] as ServerProcess);
      await proxy.restore();
      servers.push(await startServerProcess(env));

      const stored = async () =>
        (await db.store.db.selectFrom('alarm_presses').select('device_alarm_id').execute()).map((r) => r.device_alarm_id).sort();
      await eventually(async () => (await stored()).length === acked.length);
      expect(await stored()).toEqual([...acked].sort());
      const alarms = await db.store.db.selectFrom('alarms').select(['device_id', 'press_count']).orderBy('device_id').execute();
      expect(alarms.map((a) => [a.device_id, a.press_count])).toEqual([
        [devices[0]?.id, 3],
        [devices[1]?.id, 2],
        [devices[2]?.id, 2],
      ]);
      await eventually(async () => fs.statSync(path.join(dataDir, JOURNAL_FILE)).size === 0);
    },
    CHILD_PROCESS_TIMEOUT,
  );

  it(
    'withholds the PUBACK without closing the connection when the journal cannot take the alarm either (full disk)',
    async () => {
      const { db, url, proxy } = await postgresBehindProxy();
      // A small disk of its own for the data folder (tmpfs: needs root, as the full-disk tests do).
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'centinela-fulldisk-'));
      try {
        execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', dataDir]);
      } catch (err) {
        throw new Error(`this test mounts a small tmpfs and must run as root: ${(err as Error).message}`);
      }
      cleanups.push(async () => {
        execFileSync('umount', [dataDir]);
        fs.rmSync(dataDir, { recursive: true, force: true });
      });
      const server = await startServerProcess({
        DATABASE_URL: url.toString(),
        CENTINELA_DATA_DIR: dataDir,
        CENTINELA_ALARM_STORE_TIMEOUT_MS: '1000',
      });
      cleanups.push(() => killHard(server));
      const d = await registerDevice(db.repos, 'pb-full-disk');
      const client = await device(server.mqttPort, d);
      cleanups.push(async () => void client.end(true));
      let closes = 0;
      client.on('close', () => closes++);

      await proxy.refuse();
      const filler = path.join(dataDir, 'filler');
      try {
        fs.writeFileSync(filler, Buffer.alloc(1024 * 1024));
      } catch {
        // ENOSPC: the disk is full, as intended.
      }
      let acked = false;
      void client.publishAsync(`v1/devices/${d.id}/alarm`, alarm('nowhere-to-go'), { qos: 1 }).then(() => {
        acked = true;
      });
      const withheld = async () => {
        const text = await (await fetch(`${server.httpUrl}/metrics`)).text();
        return Number(/^centinela_ingest_alarms_withheld_total (\d+)/m.exec(text)?.[1] ?? 0);
      };
      await eventually(async () => (await withheld()) >= 1);
      expect(acked).toBe(false);
      expect(closes).toBe(0);
      expect(client.connected).toBe(true);

      // Room again: the device, still connected, sends the press again; it is journaled and PUBACKed.
      fs.rmSync(filler, { force: true });
      await client.publishAsync(`v1/devices/${d.id}/alarm`, alarm('nowhere-to-go'), { qos: 1 });
      expect(closes).toBe(0);
      await proxy.restore();
      await eventually(async () =>
        (await db.store.db.selectFrom('alarm_presses').select('device_alarm_id').where('device_id', '=', d.id).execute()).length === 1
          ? true
          : undefined,
      );
    },
    CHILD_PROCESS_TIMEOUT,
  );
});

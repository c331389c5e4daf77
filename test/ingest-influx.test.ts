import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../src/platform/index.ts';
import type { TelemetryPoint } from '../src/store/telemetry/index.ts';
import { InfluxTelemetryWriter } from '../src/store/telemetry/influx.ts';
import { startIngestCentinela } from './fixtures/ingest-centinela.ts';
import { freePort, startVictoria, type Victoria } from './fixtures/ingest-victoria.ts';
import { eventually } from './fixtures/ingest-wait.ts';
import { alarm, connectDevice, heartbeat, registerDevice } from './fixtures/mqtt.ts';

const logger = createLogger({ level: 'silent' });
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const influxEnv = (url: string) => ({ INFLUX_URL: url, INFLUX_TOKEN: 'test-token', INFLUX_ORG: 'centinela', INFLUX_BUCKET: 'telemetry' });

const point = (deviceId: string, at: number, battery: number): TelemetryPoint => ({
  deviceId,
  at,
  receivedAt: at,
  kind: 'heartbeat',
  clockSuspect: false,
  seq: 1,
  battery,
  network: 'lte',
  rssi: -70,
  loc: { lat: 19.4, lon: -99.1 },
});

describe('the InfluxDB telemetry writer against VictoriaMetrics', () => {
  it('writes heartbeats that read back as series per device, without locations', async () => {
    const vm = await startVictoria();
    cleanups.push(() => vm.stop());
    const writer = new InfluxTelemetryWriter({ url: vm.url, token: 't', org: 'o', bucket: 'b', flushIntervalMs: 100 }, logger);
    const now = Date.now();
    expect(writer.write(point('pb-influx-1', now - 60_000, 87))).toBe(true);
    expect(writer.write(point('pb-influx-1', now, 86))).toBe(true);
    await writer.close();

    const series = await eventually(async () => {
      const s = await vm.export('{__name__=~"heartbeat_.*",device="pb-influx-1"}');
      return s.some((x) => x.metric.__name__ === 'heartbeat_battery' && x.values.length === 2) && s;
    });
    const battery = series.find((s) => s.metric.__name__ === 'heartbeat_battery');
    expect(battery?.values).toEqual([87, 86]);
    expect(battery?.timestamps).toEqual([now - 60_000, now]);
    expect(battery?.metric).toMatchObject({ device: 'pb-influx-1', network: 'lte' });
    expect(series.map((s) => s.metric.__name__)).not.toContain('heartbeat_lat');
  });

  it('keeps points through an outage and delivers them when the server comes back', async () => {
    const port = await freePort();
    const writer = new InfluxTelemetryWriter(
      { url: `http://127.0.0.1:${port}`, token: 't', org: 'o', bucket: 'b', flushIntervalMs: 100 },
      logger,
    );
    cleanups.push(() => writer.close());
    writer.write(point('pb-outage', Date.now(), 55));
    await writer.flush(); // fails: nothing listens yet; the line waits in the retry buffer
    const vm: Victoria = await startVictoria(port);
    cleanups.push(() => vm.stop());
    const series = await eventually(async () => {
      const s = await vm.export('{__name__="heartbeat_battery",device="pb-outage"}');
      return s.length > 0 && s;
    });
    expect(series[0]?.values).toEqual([55]);
  });
});

describe('Centinela with INFLUX_URL set', () => {
  it('sends heartbeats to InfluxDB while answering the API from its own database', async () => {
    const vm = await startVictoria();
    cleanups.push(() => vm.stop());
    const t = await startIngestCentinela('sqlite', influxEnv(vm.url));
    cleanups.push(() => t.stop());
    const dev = await registerDevice(t.centinela.repos, 'pb-both');
    const client = await connectDevice(t.mqttPort, dev);
    await client.publishAsync(`v1/devices/${dev.id}/heartbeat`, heartbeat(3), { qos: 1 });
    await client.endAsync();
    const res = await fetch(`${t.centinela.httpUrl}/api/devices/${dev.id}/telemetry`, {
      headers: { authorization: `Bearer ${t.tokens.technician}` },
    });
    expect(((await res.json()) as { points: unknown[] }).points).toHaveLength(1);
    await eventually(async () => (await vm.export('{__name__="heartbeat_seq",device="pb-both"}')).length > 0);
  });

  it('stores alarms while InfluxDB is down', async () => {
    const t = await startIngestCentinela('sqlite', influxEnv(`http://127.0.0.1:${await freePort()}`));
    cleanups.push(() => t.stop());
    const dev = await registerDevice(t.centinela.repos, 'pb-influx-down');
    const client = await connectDevice(t.mqttPort, dev);
    for (let seq = 0; seq < 20; seq++) client.publish(`v1/devices/${dev.id}/heartbeat`, heartbeat(seq), { qos: 0 });
    await client.publishAsync(`v1/devices/${dev.id}/alarm`, alarm('influx-down'), { qos: 1 });
    await client.endAsync();
    expect((await t.alarmsOf(dev.id)).map((a) => a.kind)).toEqual(['panic']);
  });
});

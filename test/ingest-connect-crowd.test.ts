import { afterEach, describe, expect, it } from 'vitest';
import { generateCredential, hashDeviceSecret } from '../src/platform/index.ts';
import { systemActor } from '../src/store/index.ts';
import { ENGINES } from './fixtures/databases.ts';
import { type IngestTestCentinela, startIngestCentinela } from './fixtures/ingest-centinela.ts';
import { connackCode, registerDevice } from './fixtures/mqtt.ts';

let t: IngestTestCentinela | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

const CROWD = 60;

// Issue 11: after a restart the fleet's CONNECTs arrive together and are checked together
// (src/ingest/auth/credential-reads.ts, src/health/config-downlink.ts). Each one must still get
// the answer its own account deserves, and a device's pending config must still reach it.
describe.each(ENGINES)('a crowd of CONNECTs at once on %s', (engine) => {
  it('answers each by its own account: admitted, wrong secret, unknown, retired, gateway', async () => {
    const c = await startIngestCentinela(engine);
    t = c;
    const repos = c.centinela.repos;
    const admin = systemActor('test');
    const crowd = await Promise.all(Array.from({ length: CROWD }, (_, i) => registerDevice(repos, `pb-crowd-${i}`)));
    const retired = await registerDevice(repos, 'pb-crowd-retired');
    await repos.devices.update(admin, retired.id, { retiredAt: new Date(Date.now() - 1000).toISOString() });
    const gatewaySecret = generateCredential('gw');
    await repos.gateways.create(admin, { id: 'gw-crowd', deviceIds: ['pb-crowd-0'] }, hashDeviceSecret(gatewaySecret));
    const wrong = crowd[1] as { id: string; secret: string };

    const as = (id: string, password: string) => connackCode(c.mqttPort, { clientId: id, username: id, password });
    const [admitted, wrongSecret, unknown, retiredCode, gateway] = await Promise.all([
      Promise.all(crowd.filter((d) => d !== wrong).map((d) => as(d.id, d.secret))),
      as(wrong.id, generateCredential('dev')),
      as('pb-crowd-nobody', generateCredential('dev')),
      as(retired.id, retired.secret),
      as('gw-crowd', gatewaySecret),
    ]);

    expect(admitted).toEqual(Array(CROWD - 1).fill(0));
    expect(wrongSecret).toBe(4);
    expect(unknown).toBe(4);
    expect(retiredCode).toBe(5);
    expect(gateway).toBe(0);
    // The device refused a moment ago with a wrong secret still gets in with its own.
    expect(await as(wrong.id, wrong.secret)).toBe(0);
  });

  it('sends the pending config downlink to the device of the crowd that has one', async () => {
    const c = await startIngestCentinela(engine);
    t = c;
    const repos = c.centinela.repos;
    const crowd = await Promise.all(Array.from({ length: CROWD }, (_, i) => registerDevice(repos, `pb-cfg-${i}`)));
    const pending = crowd[7] as { id: string; secret: string };
    await repos.devices.setConfigPending(pending.id, { heartbeatIntervalS: 120 });
    const requested = new Promise<unknown>((resolve) => {
      const off = c.centinela.events.on('downlink.requested', (e) => {
        if (e.topic !== 'config' || e.deviceId !== pending.id) return;
        off();
        resolve(e.payload);
      });
    });
    const codes = await Promise.all(crowd.map((d) => connackCode(c.mqttPort, { clientId: d.id, username: d.id, password: d.secret })));
    expect(codes).toEqual(Array(CROWD).fill(0));
    expect(await requested).toEqual({ heartbeatIntervalS: 120 });
  });
});

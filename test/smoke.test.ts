import { describe, expect, it } from 'vitest';
import { startTestCentinela } from './fixtures/centinela.ts';

describe.each(['sqlite', 'postgres'] as const)('a whole Centinela on %s', (engine) => {
  it('answers readiness and serves the registry to an admin', async () => {
    const t = await startTestCentinela(engine);
    try {
      const ready = await fetch(`${t.centinela.httpUrl}/readyz`);
      expect(ready.status).toBe(200);
      const models = await fetch(`${t.centinela.httpUrl}/api/device-models`, { headers: { authorization: `Bearer ${t.tokens.admin}` } });
      expect(((await models.json()) as { id: string }[]).map((m) => m.id)).toContain('panic-button');
    } finally {
      await t.stop();
    }
  });
});

describe('telemetry retention', () => {
  it('prunes ingest telemetry older than 400 days when the retention job runs, and keeps the rest', async () => {
    const t = await startTestCentinela('sqlite');
    try {
      const day = 86_400_000;
      const now = Date.now();
      await t.centinela.repos.devices.create(
        { id: 'test', role: 'admin' },
        { id: 'pb-ret-1', modelId: 'panic-button', stateCode: 'OAX' },
        'h',
      );
      const point = (at: number) => ({
        device_id: 'pb-ret-1',
        at,
        received_at: at,
        kind: 'heartbeat',
        clock_suspect: 0,
        seq: 1,
        battery: 90,
        charging: 0,
        network: 'lte',
        rssi: -80,
        bars: 3,
        lat: null,
        lon: null,
        acc: null,
        fw: null,
        event: null,
        detail: null,
      });
      await t.centinela.store.db
        .insertInto('telemetry')
        .values([point(now - 401 * day), point(now - 399 * day), point(now - day)])
        .execute();
      const run = await fetch(`${t.centinela.httpUrl}/api/jobs/telemetry-retention/run`, {
        method: 'POST',
        headers: { authorization: `Bearer ${t.tokens.admin}` },
      });
      expect(run.status).toBe(200);
      expect(JSON.stringify(await run.json())).toContain('1 telemetry points');
      const left = await t.centinela.store.db.selectFrom('telemetry').select('at').where('device_id', '=', 'pb-ret-1').execute();
      expect(left).toHaveLength(2);
    } finally {
      await t.stop();
    }
  });
});

import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { addStaff, seedCase, startAlertsWorld } from './fixtures/alerts-world.ts';

type World = Awaited<ReturnType<typeof startAlertsWorld>>;
let w: World;

beforeEach(async () => {
  w = await startAlertsWorld('postgres');
});
afterEach(async () => {
  await w.stop();
});

describe('the alarm path on PostgreSQL', () => {
  test('contacts at once, supervisor at 30 s, one winner of two simultaneous acknowledgements, then no more paging', async () => {
    const kase = await seedCase(w.c);
    await addStaff(w.c, 'supervisor', '+527479990050');
    const alarmId = await w.raise({ deviceId: kase.deviceId, beneficiaryId: kase.beneficiary.id });
    await w.rec.waitFor((r) => r.form.To === '+527471110001');
    w.clock.advance(30_000);
    await w.rec.waitFor((r) => r.form.To === '+527479990050');
    const [a, b] = await Promise.all([
      w.api('POST', `/api/alarms/${alarmId}/acknowledge`, 'operator', {}),
      w.api('POST', `/api/alarms/${alarmId}/acknowledge`, 'supervisor', {}),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const pending = await w.c.store.db
      .selectFrom('alarm_steps')
      .select('id')
      .where('alarm_id', '=', alarmId)
      .where('done_at', 'is', null)
      .execute();
    expect(pending).toEqual([]);
    const res = await w.api('GET', `/api/alarms/${alarmId}/evidence`, 'supervisor');
    expect(JSON.parse(res.body).timeline.length).toBeGreaterThan(5);
  });
});

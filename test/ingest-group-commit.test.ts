import { sql } from 'kysely';
import type { MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AlarmPress } from '../src/store/index.ts';
import type { EngineName } from './fixtures/databases.ts';
import { type IngestTestCentinela, startIngestCentinela } from './fixtures/ingest-centinela.ts';
import { eventually } from './fixtures/ingest-wait.ts';
import { alarm, connectDevice, registerDevice } from './fixtures/mqtt.ts';

/**
 * Group commit (P1): alarms arriving together share one durable commit, each PUBACK comes only
 * after the commit that holds its alarm, and a commit that fails costs no alarm.
 */
describe.each(['sqlite', 'postgres'] as EngineName[])('alarms sharing a commit (%s)', (engine) => {
  let t: IngestTestCentinela;
  const clients: MqttClient[] = [];
  beforeAll(async () => {
    t = await startIngestCentinela(engine);
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.endAsync(true).catch(() => {})));
  });
  afterAll(async () => t?.stop());

  const press = (deviceId: string, deviceAlarmId: string, receivedAt: number): AlarmPress => ({
    deviceId,
    deviceAlarmId,
    kind: 'panic',
    test: false,
    raisedAt: receivedAt,
    receivedAt,
    clockSuspect: false,
    beneficiaryId: null,
  });

  it('recognises a retransmission and joins a repeat press within one commit', async () => {
    await registerDevice(t.centinela.repos, `pb-batch-${engine}`);
    const id = `pb-batch-${engine}`;
    const out = await t.centinela.repos.alarmIntake.recordMany([press(id, 'a-1', 1000), press(id, 'a-1', 1001), press(id, 'a-2', 1002)]);
    expect(out.map((o) => o.outcome)).toEqual(['opened', 'duplicate', 'joined']);
    expect(new Set(out.map((o) => o.alarmId)).size).toBe(1);
    expect((await t.alarmsOf(id)).map((a) => a.press_count)).toEqual([2]);
  });

  it('journals an alarm whose commit fails (PUBACK once on disk, connection kept), acknowledges its neighbours, and stores it once the store recovers', async () => {
    const poisoned = await registerDevice(t.centinela.repos, `pb-poisoned-${engine}`);
    const healthy = await registerDevice(t.centinela.repos, `pb-healthy-${engine}`);
    // The store refuses every press of one device, as a full disk or a broken index would.
    if (engine === 'sqlite')
      await sql
        .raw(
          `create trigger refuse_poisoned before insert on alarm_presses when new.device_id = '${poisoned.id}' begin select raise(abort, 'refused'); end`,
        )
        .execute(t.db);
    else {
      await sql
        .raw(
          `create function refuse_poisoned() returns trigger as $$ begin if new.device_id = '${poisoned.id}' then raise exception 'refused'; end if; return new; end $$ language plpgsql`,
        )
        .execute(t.db);
      await sql
        .raw('create trigger refuse_poisoned before insert on alarm_presses for each row execute function refuse_poisoned()')
        .execute(t.db);
    }
    const options = { clean: false, reconnectPeriod: 200 };
    const a = await connectDevice(t.mqttPort, poisoned, options);
    const b = await connectDevice(t.mqttPort, healthy, options);
    clients.push(a, b);
    let aClosed = false;
    a.on('close', () => {
      aClosed = true;
    });

    // Issue 13: the refused press is made durable in the node's journal and acknowledged; the
    // broker does not hang up on the device.
    await a.publishAsync(`v1/devices/${poisoned.id}/alarm`, alarm('will-fail-first'), { qos: 1 });
    expect(await t.counter('centinela_ingest_alarms_journaled_total')).toBe(1);
    await b.publishAsync(`v1/devices/${healthy.id}/alarm`, alarm('goes-through'), { qos: 1 });
    await eventually(async () => (await t.alarmsOf(healthy.id)).length === 1);
    expect(await t.alarmsOf(poisoned.id)).toHaveLength(0);
    expect(await t.counter('centinela_ingest_alarm_store_failures_total')).toBeGreaterThanOrEqual(1);
    expect(aClosed).toBe(false);

    await sql.raw(`drop trigger refuse_poisoned${engine === 'postgres' ? ' on alarm_presses' : ''}`).execute(t.db);
    // Replayed from the journal once the store takes it: stored once.
    await eventually(async () => (await t.alarmsOf(poisoned.id)).length === 1);
    expect((await t.alarmsOf(poisoned.id)).map((x) => x.press_count)).toEqual([1]);
  });
});

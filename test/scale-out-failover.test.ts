import { afterEach, describe, expect, test } from 'vitest';
import { hashSecret } from '../src/platform/index.ts';
import { systemActor } from '../src/store/index.ts';
import { addStaff, seedCase } from './fixtures/alerts-world.ts';
import { type Cluster, type ClusterNode, connectClusterDevice, startCluster, within } from './fixtures/cluster.ts';
import { eventually } from './fixtures/ingest-wait.ts';

/**
 * Issue 8: kill -9 the node a panic button is connected to, in the middle of its alarm's
 * escalation, with the default panic policy (contacts at 0 s, supervisor at 30 s, responder at
 * 60 s). The policy files are not configurable per run, so the test waits for the real steps.
 */
const SUPERVISOR_PHONE = '+527479990050';
const CONTACTS = ['+527471110001', '+14155550123'];
const MUNICIPAL_POLICE = '+527470000001';
/** A watched device with a short supervision window, to see supervision fire once across nodes. */
const WATCH_WINDOW = { heartbeatIntervalS: 5, offlineAfterS: 15 };

let cluster: Cluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
}, 60_000);

type Job = { name: string; lastRun: { startedAt: string } | null; nextRun: string | null };
const jobsOn = async (node: ClusterNode, token: string): Promise<Job[]> => {
  const res = await node.api('GET', '/api/jobs', token);
  if (res.status !== 200) throw new Error(`GET /api/jobs on node ${node.name}: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body as { items: Job[] }).items;
};
/** Whether a node has the scheduled jobs on its timer (a follower shows no next run). */
const schedules = async (node: ClusterNode, token: string) => (await jobsOn(node, token)).some((j) => j.nextRun !== null);
const leadershipTaken = (nodes: ClusterNode[], role: string, ms: number) =>
  within(
    Promise.race(
      nodes.map((n) =>
        n.serve.waitForLog((l) => l.msg === 'leadership acquired' && String(l.role).split(':')[0] === role).then(() => n.name),
      ),
    ),
    ms,
    `a surviving node to take the "${role}" leadership`,
  ).catch(() => undefined);

describe('a node dies in the middle of an escalation', () => {
  test('the device moves to another node, every pending step fires once and on time, supervision and jobs carry on once', async () => {
    cluster = await startCluster({ nodes: ['a', 'b', 'c'] });
    const { db, recorder, tokens } = cluster;
    const [a, b, c] = ['a', 'b', 'c'].map((n) => cluster?.node(n) as ClusterNode) as [ClusterNode, ClusterNode, ClusterNode];
    const port = (n: ClusterNode) => n.mqttPort as number;

    const kase = await seedCase({ repos: db.repos });
    await addStaff({ repos: db.repos }, 'supervisor', SUPERVISOR_PHONE);
    const watched = await seedCase({ repos: db.repos });
    const watchId = `${watched.deviceId}-w`;
    await db.repos.devices.create(
      systemActor('test'),
      { id: watchId, modelId: 'panic-button', beneficiaryId: watched.beneficiary.id, stateCode: 'GRO', ...WATCH_WINDOW },
      await hashSecret('s'),
    );

    // Jobs run on one node at a time: the first started (A) before the kill.
    const scheduledBefore = await Promise.all([a, b, c].map((n) => schedules(n, tokens.admin)));

    // ---- the alarm, on node A; the 0 s steps fire ----
    const device = await connectClusterDevice([port(a), port(c)], kase.deviceId, 's');
    await device.publish('alarm', { id: 'press-1', ts: new Date().toISOString(), kind: 'panic' });
    const { alarmId } = await within(
      device.waitForAck((x) => x.state === 'received'),
      20_000,
      'the "received" downlink from node A',
    );
    await within(
      Promise.all(CONTACTS.map((to) => recorder.waitFor((r) => r.kind === 'sms' && r.form.To === to))),
      20_000,
      'the contacts SMS (0 s step)',
    );
    // Kill only once no message is half-sent: a provider request cut by the kill is resent after
    // its lease (at least once, by design), which is not what this test is about.
    await eventually(async () => {
      const inFlight = await db.store.db
        .selectFrom('notifications')
        .select('id')
        .where('alarm_id', '=', alarmId)
        .where('status', 'in', ['queued', 'retry', 'sending'])
        .execute();
      return inFlight.length === 0;
    }, 20_000);

    // ---- kill -9 node A ----
    const reconnected = device.nextConnect();
    const killedAt = Date.now();
    await a.kill();
    const survivors = [b, c];
    const jobsLeader = leadershipTaken(survivors, 'jobs', 20_000);
    const supervisionLeader = leadershipTaken(survivors, 'supervision', 20_000);
    await within(reconnected, 30_000, 'the device to reconnect to node C');
    // Not sure its press got through, the button sends it again: recognised, stored once (P1).
    await device.publish('alarm', { id: 'press-1', ts: new Date().toISOString(), kind: 'panic' });

    // ---- supervision: a device heard on the supervising node, then on the other one, then silent ----
    const watching = (async () => {
      // Its long stay is on the node that does not supervise, whichever won the race to lead.
      const [first, second] = (await supervisionLeader) === 'c' ? [c, b] : [b, c];
      const hb = (seq: number) => ({ ts: Date.now(), seq, battery: 80, signal: { network: 'lte', rssi: -70 } });
      const onFirst = await connectClusterDevice([port(first)], watchId, 's');
      await onFirst.publish('heartbeat', hb(1));
      await onFirst.client.endAsync(); // a goodbye: not a last will
      const onSecond = await connectClusterDevice([port(second)], watchId, 's');
      let lastHeartbeatAt = 0;
      // Longer than its window: a supervisor that only heard it on the first node would find it silent meanwhile.
      for (let seq = 2; seq <= 13; seq++) {
        await onSecond.publish('heartbeat', hb(seq));
        lastHeartbeatAt = Date.now();
        await new Promise((r) => setTimeout(r, 2_000));
      }
      await onSecond.client.endAsync();
      return lastHeartbeatAt;
    })();
    watching.catch(() => {}); // awaited below; this only keeps an early failure from going unhandled

    // ---- the pending steps, fired by the surviving nodes ----
    const alarm = await db.store.db.selectFrom('alarms').select(['received_at']).where('id', '=', alarmId).executeTakeFirstOrThrow();
    const receivedAt = Number(alarm.received_at);
    const supervisorSms = await within(
      recorder.waitFor((r) => r.kind === 'sms' && r.form.To === SUPERVISOR_PHONE),
      90_000,
      'the supervisor SMS (30 s step) from a surviving node',
    );
    const responderSms = await within(
      recorder.waitFor((r) => r.kind === 'sms' && r.form.To === MUNICIPAL_POLICE),
      90_000,
      'the responder SMS (60 s step) from a surviving node',
    );

    // The operator on node B takes charge; the device, now on node C, hears it.
    const ack = await b.api('POST', `/api/alarms/${alarmId}/acknowledge`, tokens.operator, {});
    expect(ack.status, JSON.stringify(ack.body)).toBe(200);
    await within(
      device.waitForAck((x) => x.alarmId === alarmId && x.state === 'acknowledged'),
      20_000,
      'the "acknowledged" downlink at the device on node C',
    );
    await device.end();

    const lastHeartbeatAt = await within(watching, 60_000, 'the watched device to finish its heartbeats');
    await within(
      eventually(async () => {
        const rows = await db.store.db
          .selectFrom('health_intervals')
          .select('id')
          .where('device_id', '=', watchId)
          .where('state', '=', 'offline')
          .execute();
        return rows.length > 0;
      }, 60_000),
      65_000,
      'the watched device to be found silent',
    );

    // ---- jobs keep running on the survivors ----
    const run = await c.api('POST', '/api/jobs/test-reminders/run', tokens.admin);
    expect(run.status, JSON.stringify(run.body)).toBe(200);
    const afterKill = (await jobsOn(b, tokens.admin)).find((j) => j.name === 'test-reminders');
    expect(Date.parse(afterKill?.lastRun?.startedAt ?? '')).toBeGreaterThanOrEqual(killedAt);

    // ---- what the database and the provider saw ----
    const q = db.store.db;
    const alarms = await q.selectFrom('alarms').select(['id', 'press_count']).where('device_id', '=', kase.deviceId).execute();
    expect(alarms).toEqual([{ id: alarmId, press_count: 1 }]);
    for (const to of [...CONTACTS, SUPERVISOR_PHONE, MUNICIPAL_POLICE]) {
      expect.soft(recorder.sms(to).length, `SMS to ${to}`).toBe(1);
    }
    const fired = await q
      .selectFrom('alarm_timeline')
      .select('detail')
      .where('alarm_id', '=', alarmId)
      .where('kind', '=', 'step_fired')
      .execute();
    const firedTimes = (target: string) => fired.filter((f) => String(f.detail).includes(`"target":"${target}"`)).length;
    expect.soft(firedTimes('contacts'), 'contacts step fired').toBe(1);
    expect.soft(firedTimes('supervisor'), 'supervisor step fired').toBe(1);
    expect.soft(firedTimes('responder'), 'responder step fired').toBe(1);
    // On time: never before it was due, and before the step after it would have been.
    expect.soft(supervisorSms.at - receivedAt).toBeGreaterThanOrEqual(30_000);
    expect.soft(supervisorSms.at - receivedAt).toBeLessThan(60_000);
    expect.soft(responderSms.at - receivedAt).toBeGreaterThanOrEqual(60_000);
    expect.soft(responderSms.at - receivedAt).toBeLessThan(90_000);

    const offline = await q
      .selectFrom('health_intervals')
      .select(['started_at'])
      .where('device_id', '=', watchId)
      .where('state', '=', 'offline')
      .execute();
    expect.soft(offline.length, 'times the watched device was found silent').toBe(1);
    expect
      .soft(
        offline.every((o) => Number(o.started_at) > lastHeartbeatAt),
        'no node found it silent while it was heartbeating on another node',
      )
      .toBe(true);
    const tasks = await q.selectFrom('alarms').select('id').where('device_id', '=', watchId).where('kind', '=', 'device_offline').execute();
    expect.soft(tasks, 'one operator task for the silent device').toHaveLength(1);

    expect.soft(scheduledBefore, 'nodes with the jobs on their timer before the kill (a, b, c)').toEqual([true, false, false]);
    expect.soft(await jobsLeader, 'a survivor took over the jobs').toBeDefined();
    expect.soft(await supervisionLeader, 'a survivor took over supervision').toBeDefined();
    const scheduledAfter = await Promise.all(survivors.map((n) => schedules(n, tokens.admin)));
    expect.soft(scheduledAfter.filter(Boolean), 'survivors with the jobs on their timer').toHaveLength(1);
  }, 300_000);
});

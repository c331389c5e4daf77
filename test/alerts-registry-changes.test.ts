import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { hashDeviceSecret } from '../src/platform/secrets.ts';
import { systemActor } from '../src/store/index.ts';
import { addStaff, seedCase, startAlertsWorld } from './fixtures/alerts-world.ts';
import { ENGINES } from './fixtures/databases.ts';

type World = Awaited<ReturnType<typeof startAlertsWorld>>;
let w: World | undefined;
let policyDir: string | undefined;

afterEach(async () => {
  await w?.stop();
  w = undefined;
  if (policyDir) fs.rmSync(policyDir, { recursive: true, force: true });
});

/** A centre's panic policy that pages everyone at once, so every list the opening reads is read when an alarm opens. */
function everyoneAtOnce(): string {
  policyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'centinela-policies-'));
  const at0 = (target: string, channel: string) => ({ afterS: 0, target, channel, untilAcknowledged: false });
  fs.writeFileSync(
    path.join(policyDir, 'panic.json'),
    JSON.stringify({
      name: 'everyone-at-once',
      kinds: ['panic', '*'],
      steps: [at0('operators', 'console'), at0('contacts', 'sms'), at0('supervisor', 'sms'), at0('responder', 'sms')],
    }),
  );
  return policyDir;
}

const addressesOf = async (world: World, alarmId: string) => (await world.c.repos.outbox.ofAlarm(alarmId)).map((n) => n.address);

describe.each(ENGINES)('registry changes reach the very next alarm (%s)', (engine) => {
  test('a contact, a supervisor phone, the presumed aggressors and a case plan step changed through the API apply to the next alarm', async () => {
    w = await startAlertsWorld(engine, { CENTINELA_POLICY_DIR: everyoneAtOnce() });
    const world = w;
    const kase = await seedCase(world.c);
    const supervisor = await addStaff(world.c, 'supervisor', '+527479990070');
    // A second button of the same person: its alarm is a new one, not a press joining the first.
    const second = `${kase.deviceId}-b`;
    await world.c.repos.devices.create(
      systemActor('test'),
      { id: second, modelId: 'panic-button', beneficiaryId: kase.beneficiary.id, stateCode: 'GRO' },
      hashDeviceSecret('s'),
    );

    const first = await world.raise({ deviceId: kase.deviceId, beneficiaryId: kase.beneficiary.id });
    await world.rec.waitFor((r) => r.form.To === '+527470000001');
    expect(await addressesOf(world, first)).toEqual(
      expect.arrayContaining(['+527471110001', '+14155550123', '+527479990070', '+527470000001']),
    );

    const admin = (method: 'PATCH' | 'POST', url: string, body: unknown) =>
      world.c.app.inject({ method, url, headers: { authorization: `Bearer ${world.t.tokens.admin}` }, payload: body as object });
    expect((await admin('PATCH', `/api/contacts/${kase.contacts.es.id}`, { phone: '+527471110099' })).statusCode).toBe(200);
    expect((await admin('PATCH', `/api/users/${supervisor.user.id}`, { phone: '+527479990071' })).statusCode).toBe(200);
    const aggressors = [{ type: 'responder', responderId: kase.responders.municipalPolice }];
    expect((await admin('PATCH', `/api/beneficiaries/${kase.beneficiary.id}`, { presumedAggressors: aggressors })).statusCode).toBe(200);
    const step = { id: 'call-lawyer', type: 'call_contact', title: 'Llamar a su abogada' };
    const added = await world.c.app.inject({
      method: 'POST',
      url: `/api/beneficiaries/${kase.beneficiary.id}/plan-steps`,
      headers: { authorization: `Bearer ${world.t.tokens.supervisor}` },
      payload: { step },
    });
    expect(added.statusCode).toBe(201);

    const next = await world.raise({ deviceId: second, beneficiaryId: kase.beneficiary.id });
    await world.rec.waitFor((r) => r.form.To === '+527470000002');
    const paged = await addressesOf(world, next);
    expect(paged).toEqual(expect.arrayContaining(['+527471110099', '+14155550123', '+527479990071', '+527470000002']));
    // Nothing went to the old numbers, nor to the responder now named a presumed aggressor (P4).
    expect(paged).not.toContain('+527471110001');
    expect(paged).not.toContain('+527479990070');
    expect(paged).not.toContain('+527470000001');
    const plan = (await world.api('GET', `/api/alarms/${next}/plan`, 'operator')).json();
    expect(plan.steps.map((s: { key: string }) => s.key)).toContain('call-lawyer');
  });
});

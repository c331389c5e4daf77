import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { DEFAULT_TEMPLATE_DIR, Templates } from '../src/alerts/templates.ts';
import { loadConfig } from '../src/config/index.ts';
import { startCentinela } from '../src/main.ts';
import { createLogger, ManualClock } from '../src/platform/index.ts';
import { PUBLIC_URL, seedCase, startAlertsWorld } from './fixtures/alerts-world.ts';
import { startTestCentinela } from './fixtures/centinela.ts';
import { ENGINES } from './fixtures/databases.ts';

type World = Awaited<ReturnType<typeof startAlertsWorld>>;
const SISTER = '+527471110001';

describe.each(ENGINES)('check-in timers on %s', (engine) => {
  let w: World;
  beforeEach(async () => {
    w = await startAlertsWorld(engine);
  });
  afterEach(async () => {
    await w.stop();
  });

  const sms = (from: string, body: string) => w.rec.inboundSms(PUBLIC_URL, from, body, w.c.httpUrl);
  const timers = async (beneficiaryId: string) =>
    (await w.api('GET', `/api/beneficiaries/${beneficiaryId}/check-in-timers`, 'operator')).json();

  test('a contact texts "VIAJE 120 destino"; two hours later without a check-in the centre escalates a panic with the destination', async () => {
    const kase = await seedCase(w.c);
    const set = await sms(SISTER, 'VIAJE 120 Mercado de Tixtla');
    expect(set.status).toBe(200);
    expect(set.body).toContain('viaje registrado (Mercado de Tixtla)');
    expect(set.body).toContain('120 minutos');
    const [timer] = await timers(kase.beneficiary.id);
    expect(timer).toMatchObject({ state: 'running', destination: 'Mercado de Tixtla', setVia: 'sms', setBy: kase.contacts.es.id });
    expect(timer.dueAt - w.clock.now()).toBe(120 * 60_000);

    w.clock.advance(119 * 60_000);
    expect(await w.c.parts.alerts.checkIns.runDue()).toBe(0);
    expect((await timers(kase.beneficiary.id))[0].state).toBe('running');

    w.clock.advance(60_000);
    // The alerts pump runs the expiry on its own; the event says the panic is raised.
    const raised = await w.c.events.next('alarm.raised', (e) => e.kind === 'panic');
    expect(raised).toMatchObject({ deviceId: kase.deviceId, beneficiaryId: kase.beneficiary.id, kind: 'panic' });
    const alarm = (await w.api('GET', `/api/alarms/${raised.alarmId}`, 'operator')).json();
    expect(alarm.severity).toBe('high');
    expect(alarm.timeline.find((e: { kind: string }) => e.kind === 'check_in_missed').detail).toMatchObject({
      timerId: timer.id,
      destination: 'Mercado de Tixtla',
    });
    expect((await timers(kase.beneficiary.id))[0]).toMatchObject({ state: 'expired', alarmId: raised.alarmId });
    // Escalated as a panic: the panic policy pages the contacts.
    await w.rec.waitFor((r) => r.kind === 'sms' && r.form.To === '+14155550123');

    // A check-in after expiry is answered plainly and changes nothing.
    const late = await sms(SISTER, 'Llegué');
    expect(late.body).toContain('ya venció');
    expect((await timers(kase.beneficiary.id))[0].state).toBe('expired');
    expect((await w.api('GET', `/api/alarms/${raised.alarmId}`, 'operator')).json().state).toBe('open');
  });

  test('a check-in by SMS before the time is up stops the timer: nothing is raised when it would have run out', async () => {
    const kase = await seedCase(w.c);
    await sms(SISTER, 'VIAJE 30');
    w.clock.advance(10 * 60_000);
    const ok = await sms(SISTER, 'LLEGUE');
    expect(ok.body).toContain('llegada registrada');
    expect((await timers(kase.beneficiary.id))[0]).toMatchObject({ state: 'checked_in', closedBy: kase.contacts.es.id });
    w.clock.advance(60 * 60_000);
    expect(await w.c.parts.alerts.checkIns.runDue()).toBe(0);
    expect((await w.api('GET', '/api/alarms?open=true', 'operator')).json()).toEqual([]);
  });

  test('an operator sets a timer and checks the person in from the console; checking in twice is a 409 that changes nothing', async () => {
    const kase = await seedCase(w.c);
    const set = await w.api('POST', `/api/beneficiaries/${kase.beneficiary.id}/check-in-timers`, 'operator', {
      minutes: 45,
      destination: 'Juzgado',
    });
    expect(set.status).toBe(201);
    const id = set.json().id;
    const done = await w.api('POST', `/api/check-in-timers/${id}/check-in`, 'operator');
    expect(done.json()).toMatchObject({ state: 'checked_in' });
    expect((await w.api('POST', `/api/check-in-timers/${id}/check-in`, 'operator')).status).toBe(409);
    expect((await w.api('POST', '/api/check-in-timers/cit_nothere/check-in', 'operator')).status).toBe(404);
    expect((await w.api('POST', `/api/beneficiaries/${kase.beneficiary.id}/check-in-timers`, 'operator', { minutes: 2 })).status).toBe(400);
    expect((await w.api('POST', `/api/beneficiaries/${kase.beneficiary.id}/check-in-timers`, 'technician', { minutes: 45 })).status).toBe(
      403,
    );
  });

  test('a check-in with no timer, from an unknown phone, or an unreadable trip gets a clear SMS and changes nothing', async () => {
    const kase = await seedCase(w.c);
    expect((await sms(SISTER, 'LLEGUE')).body).toContain('no hay un viaje activo');
    expect((await sms('+529990000000', 'VIAJE 60')).body).toContain('número no registrado');
    expect((await sms(SISTER, 'VIAJE mucho')).body).toContain('Escriba VIAJE y los minutos');
    expect(await timers(kase.beneficiary.id)).toEqual([]);
  });

  test('a keypress "1" on a call to the centre checks in; any other key changes nothing; unsigned calls are refused', async () => {
    const kase = await seedCase(w.c);
    await sms(SISTER, 'VIAJE 60 Oficina');
    const call = { CallSid: 'CA1', AccountSid: 'AC', From: SISTER, To: '+15005550006' };
    const menu = await w.rec.post(`${PUBLIC_URL}/api/twilio/check-in/voice`, call, { deliverTo: w.c.httpUrl });
    expect(menu.body).toContain('<Gather');
    expect(menu.body).toContain('pulse 1');
    const forged = await w.rec.post(
      `${PUBLIC_URL}/api/twilio/check-in/gather`,
      { ...call, Digits: '1' },
      { deliverTo: w.c.httpUrl, signature: 'forged' },
    );
    expect(forged.status).toBe(403);
    const wrong = await w.rec.post(`${PUBLIC_URL}/api/twilio/check-in/gather`, { ...call, Digits: '2' }, { deliverTo: w.c.httpUrl });
    expect(wrong.body).toContain('No se cambió nada');
    expect((await timers(kase.beneficiary.id))[0].state).toBe('running');
    const pressed = await w.rec.post(`${PUBLIC_URL}/api/twilio/check-in/gather`, { ...call, Digits: '1' }, { deliverTo: w.c.httpUrl });
    expect(pressed.body).toContain('llegada registrada');
    expect((await timers(kase.beneficiary.id))[0].state).toBe('checked_in');
  });

  test("the centre's running timers are listed soonest first with each alias, and every read of who goes where is audited", async () => {
    const ana = await seedCase(w.c);
    const bea = await seedCase(w.c);
    const quiet = await seedCase(w.c);
    const set = (id: string, minutes: number, destination: string) =>
      w.api('POST', `/api/beneficiaries/${id}/check-in-timers`, 'supervisor', { minutes, destination });
    await set(ana.beneficiary.id, 90, 'Juzgado');
    await set(bea.beneficiary.id, 30, 'Fiscalía');
    const closed = (await set(quiet.beneficiary.id, 60, 'Mercado')).json();
    await w.api('POST', `/api/check-in-timers/${closed.id}/check-in`, 'operator');

    const list = await w.api('GET', '/api/check-in-timers', 'operator');
    expect(list.status).toBe(200);
    const { items, limits } = list.json();
    expect(limits).toEqual({ minMinutes: 5, maxMinutes: 1440, maxDestination: 200 });
    expect(items.map((i: { alias: string; destination: string }) => [i.alias, i.destination])).toEqual([
      [bea.beneficiary.alias, 'Fiscalía'],
      [ana.beneficiary.alias, 'Juzgado'],
    ]);
    const [listed] = await w.c.repos.audit.list({ recordType: 'beneficiary', recordId: '*', actions: ['list'] });
    expect(listed).toMatchObject({ actor_id: expect.stringMatching(/^usr_/), action: 'list' });
    expect(JSON.parse(String(listed?.detail))).toMatchObject({ count: 2, purpose: 'check-in timers' });

    await timers(ana.beneficiary.id);
    const [read] = await w.c.repos.audit.list({ recordType: 'beneficiary', recordId: ana.beneficiary.id, actions: ['read'] });
    expect(JSON.parse(String(read?.detail))).toMatchObject({ purpose: 'check-in timers', count: 1 });

    for (const role of ['technician', 'analyst', 'admin'] as const)
      expect((await w.api('GET', '/api/check-in-timers', role)).status).toBe(403);
  });

  test('staff find the person by part of the alias (audited); a search under 2 letters is refused', async () => {
    const kase = await seedCase(w.c);
    const people = (alias: string, role: 'operator' | 'technician' = 'operator') =>
      w.api('GET', `/api/check-in-timers/people?alias=${encodeURIComponent(alias)}`, role);
    const found = await people(kase.beneficiary.alias.toUpperCase());
    expect(found.json().items).toEqual([
      { id: kase.beneficiary.id, alias: kase.beneficiary.alias, stateCode: 'GRO', municipality: 'Chilpancingo' },
    ]);
    const [audit] = await w.c.repos.audit.list({ recordType: 'beneficiary', recordId: '*' });
    expect(JSON.parse(String(audit?.detail))).toMatchObject({ count: 1, purpose: 'check-in timer' });
    // `%` is a letter here, not a wildcard that would list everyone.
    expect((await people('%%')).json().items).toEqual([]);
    expect((await people('C')).status).toBe(400);
    expect((await people('Colibrí', 'technician')).status).toBe(403);
  });

  test('staff must name the destination (help is sent there); a bad timer is refused and creates nothing', async () => {
    const kase = await seedCase(w.c);
    const post = (body: unknown) => w.api('POST', `/api/beneficiaries/${kase.beneficiary.id}/check-in-timers`, 'operator', body);
    for (const body of [
      { minutes: 30 },
      { minutes: 30, destination: '   ' },
      { minutes: 30, destination: 'x'.repeat(201) },
      { minutes: 0, destination: 'Juzgado' },
      { minutes: 1441, destination: 'Juzgado' },
      { minutes: 12.5, destination: 'Juzgado' },
    ]) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect(
      (await w.api('POST', '/api/beneficiaries/ben_nothere/check-in-timers', 'operator', { minutes: 30, destination: 'Juzgado' })).status,
    ).toBe(404);
    expect(await timers(kase.beneficiary.id)).toEqual([]);
  });

  test('two nodes running the expiry at once escalate a timer once', async () => {
    const kase = await seedCase(w.c);
    await w.c.parts.alerts.checkIns.set(kase.beneficiary.id, 5, null, { id: 'op', via: 'api' });
    w.clock.advance(5 * 60_000);
    const raised = w.c.events.next('alarm.raised', (e) => e.beneficiaryId === kase.beneficiary.id);
    const checkIns = w.c.parts.alerts.checkIns;
    // Three passes at once (the pump may be a fourth): at most one claims the timer.
    const counts = await Promise.all([checkIns.runDue(), checkIns.runDue(), checkIns.runDue()]);
    expect(counts.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1);
    const { alarmId } = await raised;
    expect(await checkIns.runDue()).toBe(0);
    const open = (await w.api('GET', '/api/alarms?open=true', 'operator')).json();
    expect(open.map((a: { id: string }) => a.id)).toEqual([alarmId]);
    const missed = (await w.api('GET', `/api/alarms/${alarmId}`, 'operator'))
      .json()
      .timeline.filter((e: { kind: string }) => e.kind === 'check_in_missed');
    expect(missed).toHaveLength(1);
  });
});

test.each(ENGINES)('a timer set before a restart on %s still escalates after it, when it runs out', async (engine) => {
  const clock = new ManualClock(Date.now());
  const t = await startTestCentinela(engine, { clock });
  try {
    const kase = await seedCase(t.centinela);
    await t.centinela.parts.alerts.checkIns.set(kase.beneficiary.id, 30, 'Fiscalía', { id: 'op', via: 'api' });
    await t.centinela.stop();
    clock.advance(45 * 60_000);
    const again = await startCentinela(loadConfig(t.env), { clock, logger: createLogger({ level: 'silent' }) });
    try {
      // The first pump pass may have run during the start already: then the timer says so.
      const raised = again.events.next('alarm.raised', (e) => e.beneficiaryId === kase.beneficiary.id);
      const [before] = await again.parts.alerts.checkIns.list(kase.beneficiary.id);
      if (before?.state !== 'expired') await raised;
      const [timer] = await again.parts.alerts.checkIns.list(kase.beneficiary.id);
      expect(timer).toMatchObject({ state: 'expired', destination: 'Fiscalía' });
      const alarm = await again.repos.alarms.require(timer?.alarmId as string);
      expect(alarm).toMatchObject({ kind: 'panic', beneficiaryId: kase.beneficiary.id, note: 'check-in missed; destination: Fiscalía' });
    } finally {
      await again.stop();
    }
  } finally {
    await t.stop();
  }
});

describe('the check-in texts are message templates', () => {
  const shippedEs = () => JSON.parse(fs.readFileSync(path.join(DEFAULT_TEMPLATE_DIR, 'es.json'), 'utf8'));
  const folder = (files: Record<string, unknown>) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'centinela-templates-'));
    for (const [name, body] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), JSON.stringify(body));
    return dir;
  };

  test("a centre's own wording is what the person gets back; an English contact is answered in English", async () => {
    const es = shippedEs();
    es.messages.checkInSet = 'Centinela Guerrero: le esperamos de vuelta en {minutes} min{destination}. Al llegar escriba LLEGUE.';
    const w = await startAlertsWorld('sqlite', { CENTINELA_TEMPLATE_DIR: folder({ 'es.json': es }) });
    try {
      await seedCase(w.c);
      const set = await w.rec.inboundSms(PUBLIC_URL, SISTER, 'VIAJE 90 Fiscalía', w.c.httpUrl);
      expect(set.body).toContain('Centinela Guerrero: le esperamos de vuelta en 90 min (Fiscalía).');
      // The editor (language en) checks her in: the shipped English text.
      const arrived = await w.rec.inboundSms(PUBLIC_URL, '+14155550123', 'ARRIVED', w.c.httpUrl);
      expect(arrived.body).toContain('arrival registered');
      const unreadable = await w.rec.inboundSms(PUBLIC_URL, '+14155550123', 'VIAJE soon', w.c.httpUrl);
      expect(unreadable.body).toContain('Write VIAJE and the minutes (5 to 1440)');
    } finally {
      await w.stop();
    }
  });

  test("a centre's Spanish templates without the check-in texts stop the start, naming the file and the messages", () => {
    const es = shippedEs();
    delete es.messages.checkInExpired;
    delete es.messages.checkInVoiceMenu;
    const dir = folder({ 'es.json': es });
    expect(() => Templates.load(dir)).toThrow(
      `message templates ${path.join(dir, 'es.json')} lack messages every language falls back to: checkInExpired, checkInVoiceMenu`,
    );
  });
});

import { describe, expect, it } from 'vitest';
import { raiseAlarm, seedCase } from './fixtures/alerts-world.ts';
import { consoleSuite, screenshot, seeText } from './fixtures/browser.ts';
import type { TestCentinela } from './fixtures/centinela.ts';

/**
 * Issue 14 §8: the operator's language everywhere. Reasons written by the server appear in the
 * console's language, the timeline shows what people did or received with the engine's steps one
 * click away, and people appear by name and role — never as usr_ ids.
 */
let alarmId = '';

const op = consoleSuite('operator', { seed: alarmWorkedByOthers });

/** A panic alarm a supervisor took and sent help to, then escalated by the server when the device lost power. */
async function alarmWorkedByOthers(t: TestCentinela) {
  const world = await seedCase(t.centinela, {
    aggressors: () => [{ type: 'authority', responderKind: 'municipal_police', stateCode: 'GRO' }],
  });
  alarmId = await raiseAlarm(t.centinela, { deviceId: world.deviceId, beneficiaryId: world.beneficiary.id });
  const api = (path: string, body: object) =>
    t.centinela.app.inject({
      method: 'POST',
      url: `/api/alarms/${alarmId}/${path}`,
      headers: { authorization: `Bearer ${t.tokens.supervisor}` },
      payload: body,
    });
  // Another person acts on the alarm: the supervisor takes it and sends help.
  expect((await api('acknowledge', {})).statusCode).toBe(200);
  expect((await api('dispatch', {})).statusCode).toBe(200);
  // The device lost power soon after: a possible seizure, with the server's reason.
  const escalated = t.centinela.events.next('alarm.escalated', (e) => e.alarmId === alarmId);
  t.centinela.events.emit('device.event.received', {
    deviceId: world.deviceId,
    kind: 'power_lost',
    at: Date.now(),
    receivedAt: Date.now(),
    clockSuspect: false,
    detail: null,
  });
  await escalated;
}

describe('the timeline in the operator’s language', { timeout: 60_000 }, () => {
  it('in Spanish: reasons in Spanish, the supervisor by name and role, engine steps behind one click', async () => {
    const { page } = op;
    await page.goto(`/#/alarm/${alarmId}`);
    const timeline = page.locator('#timeline');
    await seeText(timeline, 'Autoridad OMITIDA');
    await seeText(timeline, 'posible privación de la libertad: el equipo perdió energía');
    await seeText(timeline, 'test-supervisor (supervisor(a))');
    const text = String(await timeline.textContent());
    expect(text).not.toMatch(/usr_[a-z0-9]/i);
    expect(text).not.toContain('possible seizure');
    // Engine steps are not shown until asked for.
    expect(text).not.toContain('Paso 1: operadores por consola');
    await page.locator('#timeline-engine').click();
    await seeText(page.locator('#timeline'), 'Paso 1: operadores por consola');
    await screenshot(page, 'timeline-es-engine');
    await page.locator('#timeline-engine').click();
    expect(await page.locator('#timeline').textContent()).not.toContain('Paso 1: operadores por consola');
  });

  it('in English: the same reasons in English', async () => {
    const { page, context } = op;
    await context.addCookies([{ name: 'centinela_lang', value: 'en', url: op.t.centinela.httpUrl }]);
    await page.goto(`/#/alarm/${alarmId}`);
    await page.reload();
    const timeline = page.locator('#timeline');
    await seeText(timeline, 'Responder SKIPPED');
    await seeText(timeline, 'possible seizure: the device lost power');
    await seeText(timeline, 'test-supervisor (supervisor)');
    expect(await timeline.textContent()).not.toContain('presunta');
    await screenshot(page, 'timeline-en');
  });
});

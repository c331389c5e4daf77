import { beforeAll, describe, expect, it } from 'vitest';
import { raiseAlarm, seedCase } from './fixtures/alerts-world.ts';
import {
  addConsoleUser,
  type ConsolePage,
  consoleSuite,
  logIn,
  openConsole,
  screenshot,
  seeText,
  unlabelledControls,
} from './fixtures/browser.ts';

/**
 * Issue 18 in the operator's alarm view: the plan of a panic alarm as a checklist, a step done
 * with what happened and one skipped with why, a resolution refused while steps are open, and a
 * supervisor closing the rest with a reason.
 */
let alarmId = '';

const op = consoleSuite('operator', {
  seed: async (t) => {
    const world = await seedCase(t.centinela);
    alarmId = await raiseAlarm(t.centinela, { deviceId: world.deviceId, beneficiaryId: world.beneficiary.id });
  },
  timeout: 8000,
});
let sup: ConsolePage;
beforeAll(async () => {
  const supervisor = await addConsoleUser(op.t, 'supervisor');
  sup = await openConsole(op.browser, op.t.centinela.httpUrl);
  await logIn(sup.page, supervisor.name);
  sup.page.setDefaultTimeout(8000);
});

describe("the action plan in the operator's alarm view", () => {
  it('lists the steps of the panic plan, all open, and a step that waits for another cannot be marked yet', async () => {
    const { page } = op;
    await page.goto(`/#/alarm/${alarmId}`);
    await page.locator('#plan').waitFor();
    await seeText(page.locator('#plan-summary'), '5 paso(s) abierto(s)');
    const titles = await page.locator('#plan-steps .plan-step-title').allTextContents();
    expect(titles).toEqual([
      'Llamar a la persona protegida',
      'Hacer la pregunta de seguridad y registrar la respuesta',
      'Llamar al contacto de confianza 1',
      'Llamar a la autoridad que responde',
      'Confirmar que la ayuda llegó',
    ]);
    const onScene = page.locator('[data-step="confirm-on-scene"]');
    await seeText(onScene, 'Después de: Llamar a la autoridad que responde');
    expect(await onScene.getByRole('button').count()).toBe(0);
    expect(await unlabelledControls(page)).toEqual([]);
  });

  it('marks a step done with what happened and skips another with why, each by the operator and when', async () => {
    const { page } = op;
    await page.getByRole('button', { name: 'Marcar como hecho: Llamar a la persona protegida' }).click();
    await page.getByLabel('Qué pasó').fill('Contestó, está en casa');
    await page.getByRole('button', { name: 'Guardar lo que pasó' }).click();
    const first = page.locator('[data-step="call-beneficiary"]');
    await seeText(first, 'Resultado: Contestó, está en casa');
    await seeText(first, 'por usted');
    await seeText(first.locator('.badge'), 'Hecho');

    await page.getByRole('button', { name: 'Omitir: Llamar al contacto de confianza 1' }).click();
    await page.getByLabel('Por qué se omite').fill('La persona pidió no avisar a su hermana');
    await page.getByRole('button', { name: 'Guardar por qué se omite' }).click();
    await seeText(page.locator('[data-step="call-contact-1"]'), 'Motivo: La persona pidió no avisar a su hermana');
    await seeText(page.locator('#plan-summary'), '3 paso(s) abierto(s)');
    // Both are on the timeline too.
    await page.locator('.timeline .tl-plan_step_done').waitFor();
    await page.locator('.timeline .tl-plan_step_skipped').waitFor();
    await screenshot(page, 'operator-action-plan');
  });

  it('refuses to resolve while steps are open, and the operator has no override', async () => {
    const { page } = op;
    await page.keyboard.press('r');
    // No outcome is preselected (issue 16): the operator chooses one, and the server still refuses.
    await page.getByLabel('Falsa alarma').check();
    await page.getByRole('button', { name: 'Confirmar resolución' }).click();
    await seeText(page.locator('#alarm-status'), 'el plan de acción tiene 3 paso(s) abierto(s)');
    expect(await page.locator('#alarm-state').textContent()).not.toBe('Resuelta');
    await seeText(page.locator('#plan-summary'), '3 paso(s) abierto(s)');
    expect(await page.locator('#plan-override').count()).toBe(0);
    expect((await op.t.centinela.repos.alarms.require(alarmId)).state).toBe('open');
  });

  it('lets a supervisor close the open steps with a reason; the operator then resolves', async () => {
    const { page } = sup;
    await page.goto(`/#/alarm/${alarmId}`);
    await page.getByRole('button', { name: 'Cerrar pasos abiertos (supervisión)' }).click();
    await page.getByLabel('Motivo de la supervisión').fill('Confirmado por videollamada: falsa alarma');
    await page.getByRole('button', { name: 'Cerrar los pasos abiertos con este motivo' }).click();
    await seeText(page.locator('#plan-summary'), 'Todos los pasos están cerrados.');
    await seeText(page.locator('[data-step="confirm-on-scene"]'), 'override: Confirmado por videollamada');

    // The operator's view follows live, and the resolution now goes through.
    await seeText(op.page.locator('#plan-summary'), 'Todos los pasos están cerrados.');
    await op.page.keyboard.press('r');
    await op.page.getByLabel('Falsa alarma').check();
    await op.page.getByRole('button', { name: 'Confirmar resolución' }).click();
    await seeText(op.page.locator('#alarm-state'), /^Resuelta$/);
    expect(await op.page.locator('#plan-steps button').count()).toBe(0);
    // The one refused resolution is the only thing the browser complained about.
    expect(op.problems.filter((p) => !p.includes('409'))).toEqual([]);
  });
});

describe('the security question in the alarm view', () => {
  it('a duress answer typed by the operator shows how to keep the caller talking, and the alarm turns critical', async () => {
    const world = await seedCase(op.t.centinela);
    const set = await op.t.centinela.app.inject({
      method: 'PUT',
      url: `/api/beneficiaries/${world.beneficiary.id}/security-answers`,
      headers: { authorization: `Bearer ${op.t.tokens.admin}` },
      payload: { securityAnswer: 'Río Bravo', duressAnswer: 'Sierra Madre' },
    });
    expect(set.statusCode).toBe(204);
    const id = await raiseAlarm(op.t.centinela, { deviceId: world.deviceId, beneficiaryId: world.beneficiary.id });
    const { page } = op;
    await page.goto(`/#/alarm/${id}`);
    await page.getByLabel('Respuesta a la pregunta de seguridad').fill('rio bravo');
    await page.getByRole('button', { name: 'Verificar respuesta' }).click();
    await seeText(page.locator('#security-result'), 'Respuesta correcta.');

    await page.getByLabel('Respuesta a la pregunta de seguridad').fill('sierra madre');
    await page.getByRole('button', { name: 'Verificar respuesta' }).click();
    const guidance = page.locator('#duress-guidance');
    await seeText(guidance, 'no lo diga en voz alta');
    await seeText(guidance, 'Mantenga la voz tranquila');
    await seeText(page.locator('h1 .badge.sev'), 'Crítica');
    // What was typed is not left on screen.
    expect(await page.getByLabel('Respuesta a la pregunta de seguridad').inputValue()).toBe('');
    expect(await unlabelledControls(page)).toEqual([]);
    await screenshot(page, 'operator-duress-guidance');
  });
});

import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { MEXICAN_STATES } from '../src/domain/mexico.ts';
import { verifySecret } from '../src/platform/secrets.ts';
import { addConsoleUser, consoleSuite, logIn, openConsole, PASSWORD, screenshot, seeText, unlabelledControls } from './fixtures/browser.ts';

/**
 * An administrator registers everything from the browser, in Spanish: devices (with the secret
 * and its setup QR shown once), people, their contacts, responders, users, and reads the audit
 * log. Every form shows the API's own field error under the field.
 */
const admin = consoleSuite('admin');

const PERSON = { alias: 'Cenzontle', fullName: 'Rosa Inés Villalobos', address: 'Calle Hidalgo 14, Chilpancingo' };
const CONTACT = { name: 'Jacinto Villalobos', phone: '+527471239876' };

/** The field's own error line: in the same field box as the control, and announced by it. */
async function fieldError(page: Page, controlId: string): Promise<string> {
  const control = page.locator(`#${controlId}`);
  const error = page.locator('.field', { has: control }).locator('.field-error');
  await error.waitFor();
  expect(await control.getAttribute('aria-invalid')).toBe('true');
  expect(await control.getAttribute('aria-describedby')).toContain(`${controlId}-error`);
  return (await error.textContent()) ?? '';
}

const row = (page: Page, table: string, text: string): Locator => page.locator(`#${table} tbody tr`, { hasText: text });

describe('the administrator console', () => {
  it('lands on the devices page and registers a device; a bad id is refused under its field with the API message', async () => {
    const { page } = admin;
    await page.locator('#admin-title', { hasText: 'Dispositivos' }).waitFor();
    await page.getByRole('button', { name: 'Registrar dispositivo' }).click();
    const form = page.locator('#device-form');
    // Every state and Mexico City, named as src/domain/mexico.ts names them.
    const states = await form
      .getByLabel('Entidad federativa')
      .locator('option:not([value=""])')
      .evaluateAll((options) => options.map((o) => [(o as unknown as { value: string }).value, o.textContent]));
    expect(states).toHaveLength(32);
    expect(states).toEqual(Object.entries(MEXICAN_STATES).map(([code, name]) => [code, `${name} (${code})`]));
    await form.getByLabel('Identificador').fill('pb adm 1');
    await form.getByLabel('Modelo').selectOption('panic-button');
    await form.getByLabel('Entidad federativa').selectOption('GRO');
    await form.getByRole('button', { name: 'Registrar', exact: true }).click();
    expect(await fieldError(page, 'device-form-id')).toContain('expected 2–64 letters, digits');
    expect(await form.locator('.field-error').count()).toBe(1);
    expect(await page.evaluate('document.activeElement?.id')).toBe('device-form-id');
    await screenshot(page, 'admin-device-field-error');

    await form.getByLabel('Identificador').fill('pb-adm-1');
    await form.getByRole('button', { name: 'Registrar', exact: true }).click();
    const secretBox = page.locator('#device-secret');
    await secretBox.waitFor();
    const secret = (await page.locator('#device-secret-value').textContent()) ?? '';
    expect(secret).toMatch(/^dev_/);
    const stored = await admin.t.centinela.repos.devices.credentials('pb-adm-1');
    expect(await verifySecret(secret, stored?.secretHash ?? '')).toBe(true);
    const qr = await secretBox.locator('img').getAttribute('src');
    expect(qr).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(await secretBox.locator('img').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
    await seeText(row(page, 'device-list', 'pb-adm-1'), 'Guerrero');
    await screenshot(page, 'admin-device-secret');
    expect(await unlabelledControls(page)).toEqual([]);
    await page.getByRole('button', { name: 'Ya lo guardé' }).click();
    await secretBox.waitFor({ state: 'detached' });
    expect(await page.content()).not.toContain(secret);

    // The same id again: the API's 409 is shown under the id.
    await page.getByRole('button', { name: 'Registrar dispositivo' }).click();
    await form.getByLabel('Identificador').fill('pb-adm-1');
    await form.getByLabel('Modelo').selectOption('panic-button');
    await form.getByLabel('Entidad federativa').selectOption('GRO');
    await form.getByRole('button', { name: 'Registrar', exact: true }).click();
    expect(await fieldError(page, 'device-form-id')).toBe('device "pb-adm-1" already exists');
    await form.getByRole('button', { name: 'Cancelar' }).click();
  });

  it('edits a device, issues a new secret after confirming, and retires it', async () => {
    const { page } = admin;
    const before = (await admin.t.centinela.repos.devices.credentials('pb-adm-1'))?.secretHash;
    await row(page, 'device-list', 'pb-adm-1').getByRole('button', { name: 'Editar' }).click();
    await page.locator('#device-form').getByLabel('Entidad federativa').selectOption('OAX');
    await page.locator('#device-form').getByRole('button', { name: 'Guardar cambios' }).click();
    await seeText(row(page, 'device-list', 'pb-adm-1'), 'Oaxaca');
    expect((await admin.t.centinela.repos.devices.get('pb-adm-1'))?.stateCode).toBe('OAX');

    await row(page, 'device-list', 'pb-adm-1').getByRole('button', { name: 'Nueva clave' }).click();
    await row(page, 'device-list', 'pb-adm-1').getByRole('button', { name: 'Sí, emitir' }).click();
    await page.locator('#device-secret').waitFor();
    const secret = (await page.locator('#device-secret-value').textContent()) ?? '';
    const after = (await admin.t.centinela.repos.devices.credentials('pb-adm-1'))?.secretHash ?? '';
    expect(after).not.toBe(before);
    expect(await verifySecret(secret, after)).toBe(true);
    await page.getByRole('button', { name: 'Ya lo guardé' }).click();

    await row(page, 'device-list', 'pb-adm-1').getByRole('button', { name: 'Retirar' }).click();
    await row(page, 'device-list', 'pb-adm-1').getByRole('button', { name: 'Sí, retirar' }).click();
    await seeText(row(page, 'device-list', 'pb-adm-1'), 'Retirado el');
    expect((await admin.t.centinela.repos.devices.get('pb-adm-1'))?.retiredAt).not.toBeNull();
  });

  it('registers a beneficiary with an address and a presumed aggressor, after a field error', async () => {
    const { page } = admin;
    await page.locator('#admin-nav-beneficiaries').click();
    await page.getByRole('button', { name: 'Registrar persona' }).click();
    const form = page.locator('#person-form');
    await form.getByLabel('Alias').fill(PERSON.alias);
    await form.getByLabel('Nombre completo').fill(PERSON.fullName);
    await form.getByLabel('Tipo', { exact: true }).selectOption('journalist');
    await form.getByLabel('Entidad federativa').first().selectOption('GRO');
    await form.getByLabel('Municipio').first().fill('Chilpancingo');
    await form.getByRole('button', { name: 'Añadir presunto agresor' }).click();
    await form.locator('.list-row').getByLabel('Autoridad', { exact: true }).selectOption('state_police');
    await form.locator('.list-row').getByLabel('Entidad federativa').selectOption('GRO');
    // No risk level chosen: the API names the field.
    await form.getByRole('button', { name: 'Registrar', exact: true }).click();
    expect(await fieldError(page, 'person-form-riskLevel')).toMatch(/riskLevel|opci|option|expected/i);
    await screenshot(page, 'admin-person-field-error');

    await form.getByLabel('Nivel de riesgo').selectOption('high');
    await form.getByRole('button', { name: 'Registrar', exact: true }).click();
    await seeText(row(page, 'person-list', PERSON.alias), PERSON.fullName);
    const [created] = await admin.t.centinela.repos.beneficiaries.list({ id: 'test', role: 'admin' });
    expect(created).toMatchObject({
      alias: PERSON.alias,
      riskLevel: 'high',
      municipality: 'Chilpancingo',
      presumedAggressors: [{ type: 'authority', responderKind: 'state_police', stateCode: 'GRO' }],
    });

    // The new person's addresses come next: coordinates outside Mexico are refused by the API.
    const panel = page.locator('#address-panel');
    await seeText(panel, 'Sin domicilios registrados.');
    await panel.getByLabel('Dirección').fill(PERSON.address);
    await panel.getByLabel('Latitud').fill('45.1');
    await panel.getByLabel('Longitud').fill('-99.5');
    await panel.getByRole('button', { name: 'Añadir', exact: true }).click();
    expect(await fieldError(page, 'address-form-lat')).toMatch(/33|less|menor|too big/i);
    await panel.getByLabel('Latitud').fill('17.5515');
    await panel.getByRole('button', { name: 'Añadir', exact: true }).click();
    await seeText(row(page, 'address-list', 'Domicilio'), PERSON.address);
    expect(await admin.t.centinela.repos.addresses.list({ id: 'test', role: 'admin' }, created?.id ?? '')).toEqual([
      expect.objectContaining({
        label: 'Domicilio',
        line: PERSON.address,
        stateCode: 'GRO',
        municipality: 'Chilpancingo',
        lat: 17.5515,
        lon: -99.5,
      }),
    ]);
    await screenshot(page, 'admin-person-addresses');
    expect(await unlabelledControls(page)).toEqual([]);
    await panel.getByRole('button', { name: 'Cerrar' }).click();

    await row(page, 'person-list', PERSON.alias).getByRole('button', { name: 'Editar' }).click();
    await page.locator('#person-form').getByLabel('Nivel de riesgo').selectOption('extraordinary');
    await page.locator('#person-form').getByRole('button', { name: 'Guardar cambios' }).click();
    await seeText(row(page, 'person-list', PERSON.alias), 'Extraordinario');
  });

  it("registers a trusted contact from the person's row; a malformed phone is refused under the phone field", async () => {
    const { page } = admin;
    await row(page, 'person-list', PERSON.alias).getByRole('link', { name: 'Contactos' }).click();
    await page.locator('#admin-title', { hasText: 'Contactos de confianza' }).waitFor();
    await page.getByRole('button', { name: 'Registrar contacto' }).click();
    const form = page.locator('#contact-form');
    await form.getByLabel('Nombre').fill(CONTACT.name);
    await form.getByLabel('Teléfono').fill('747 123 9876');
    await form.getByLabel('Relación').fill('hermano');
    await form.getByRole('button', { name: 'Registrar', exact: true }).click();
    expect(await fieldError(page, 'contact-form-phone')).toContain('expected a phone number in E.164 form');
    await screenshot(page, 'admin-contact-field-error');
    await form.getByLabel('Teléfono').fill(CONTACT.phone);
    await form.getByLabel('voz').uncheck();
    await form.getByRole('button', { name: 'Registrar', exact: true }).click();
    await seeText(row(page, 'contact-list', CONTACT.name), CONTACT.phone);
    const [contact] = await admin.t.centinela.repos.contacts.list({ id: 'test', role: 'admin' });
    expect(contact).toMatchObject({ name: CONTACT.name, phone: CONTACT.phone, channels: ['sms'], relation: 'hermano' });

    await row(page, 'contact-list', CONTACT.name).getByRole('button', { name: 'Eliminar' }).click();
    await row(page, 'contact-list', CONTACT.name).getByRole('button', { name: 'Eliminar' }).click();
    await seeText(page.locator('.admin-status'), 'ya no es contacto');
    await row(page, 'contact-list', CONTACT.name).waitFor({ state: 'detached' });
    expect(await admin.t.centinela.repos.contacts.list({ id: 'test', role: 'admin' })).toEqual([]);
  });

  it('registers responders by jurisdiction and filters them by state', async () => {
    const { page } = admin;
    await page.locator('#admin-nav-responders').click();
    for (const [name, state, phone] of [
      ['Policía Estatal de Guerrero', 'GRO', '+527474710000'],
      ['Policía Estatal de Oaxaca', 'OAX', '+529515010000'],
    ] as const) {
      await page.getByRole('button', { name: 'Registrar autoridad' }).click();
      const form = page.locator('#responder-form');
      await form.getByLabel('Nombre').fill(name);
      await form.getByLabel('Tipo').selectOption('state_police');
      await form.getByLabel('Entidad federativa').selectOption(state);
      await form.getByLabel('Teléfono').fill(phone);
      await form.getByRole('button', { name: 'Registrar', exact: true }).click();
      await row(page, 'responder-list', name).waitFor();
    }
    await page.locator('#responder-state').selectOption('OAX');
    await seeText(page.locator('#responder-list tbody tr').first(), 'Oaxaca');
    expect(await page.locator('#responder-list tbody tr').count()).toBe(1);
    await row(page, 'responder-list', 'Oaxaca').getByRole('button', { name: 'Editar' }).click();
    await page.locator('#responder-form').getByLabel('Orden de escalamiento').fill('primero');
    await page.locator('#responder-form').getByRole('button', { name: 'Guardar cambios' }).click();
    expect(await fieldError(page, 'responder-form-escalationOrder')).toMatch(/number|número/i);
    await page.locator('#responder-form').getByLabel('Orden de escalamiento').fill('2');
    await page.locator('#responder-form').getByRole('button', { name: 'Guardar cambios' }).click();
    await page.locator('#responder-form').waitFor({ state: 'detached' });
    expect((await admin.t.centinela.repos.responders.list({ stateCode: 'OAX' }))[0]?.escalationOrder).toBe(2);
    await screenshot(page, 'admin-responders');
  });

  it('creates a user (token shown once), changes the role, resets the password, and revokes access', async () => {
    const { page } = admin;
    await page.locator('#admin-nav-users').click();
    await page.getByRole('button', { name: 'Crear usuario' }).click();
    const form = page.locator('#user-form');
    await form.getByLabel('Usuario').fill('op.ramirez');
    await form.getByLabel('Rol').selectOption('operator');
    await form.getByLabel('Contraseña de la consola').fill('corta');
    await form.getByRole('button', { name: 'Crear', exact: true }).click();
    expect(await fieldError(page, 'user-form-password')).toBe('a password needs at least 12 characters');
    await form.getByLabel('Contraseña de la consola').fill(PASSWORD);
    await form.getByRole('button', { name: 'Crear', exact: true }).click();
    await page.locator('#user-token').waitFor();
    const token = (await page.locator('#user-token-value').textContent()) ?? '';
    expect((await admin.t.centinela.repos.users.authenticate(token))?.name).toBe('op.ramirez');
    await page.getByRole('button', { name: 'Ya lo guardé' }).click();

    await row(page, 'user-list', 'op.ramirez').getByRole('button', { name: 'Cambiar rol' }).click();
    await page.locator('#user-form').getByLabel('Rol').selectOption('supervisor');
    await page.locator('#user-form').getByRole('button', { name: 'Guardar cambios' }).click();
    await seeText(row(page, 'user-list', 'op.ramirez'), 'supervisor(a)');
    expect((await admin.t.centinela.repos.users.authenticate(token))?.role).toBe('supervisor');

    await row(page, 'user-list', 'op.ramirez').getByRole('button', { name: 'Restablecer contraseña' }).click();
    await page.locator('#user-form').getByLabel('Contraseña de la consola').fill('otra contraseña larga 2026');
    await page.locator('#user-form').getByRole('button', { name: 'Establecer contraseña' }).click();
    await seeText(page.locator('.admin-status'), 'restablecida');
    // The person logs in with the new password.
    const them = await openConsole(admin.browser, admin.t.centinela.httpUrl);
    await logIn(them.page, 'op.ramirez', 'otra contraseña larga 2026');
    await them.context.close();

    await row(page, 'user-list', 'op.ramirez').getByRole('button', { name: 'Revocar accesos' }).click();
    await row(page, 'user-list', 'op.ramirez').getByRole('button', { name: 'Sí, revocar' }).click();
    await seeText(page.locator('.admin-status'), 'revocados');
    expect(await admin.t.centinela.repos.users.authenticate(token)).toBeUndefined();
    await screenshot(page, 'admin-users');

    await row(page, 'user-list', 'op.ramirez').getByRole('button', { name: 'Desactivar' }).click();
    await row(page, 'user-list', 'op.ramirez').getByRole('button', { name: 'Sí, desactivar' }).click();
    await seeText(row(page, 'user-list', 'op.ramirez'), 'Desactivado');
    expect((await admin.t.centinela.repos.users.findByName('op.ramirez'))?.disabledAt).not.toBeNull();

    // No administrator can demote themselves and leave the centre without one.
    await row(page, 'user-list', admin.user.name).getByRole('button', { name: 'Cambiar rol' }).click();
    await page.locator('#user-form').getByLabel('Rol').selectOption('operator');
    await page.locator('#user-form').getByRole('button', { name: 'Guardar cambios' }).click();
    expect(await fieldError(page, 'user-form-role')).toBe('you cannot give up your own administrator role; ask another administrator');
    expect((await admin.t.centinela.repos.users.findByName(admin.user.name))?.role).toBe('admin');
    await page.locator('#user-form').getByRole('button', { name: 'Cancelar' }).click();
  });

  it('shows the audit log and verifies its chain', async () => {
    const { page } = admin;
    await page.locator('#admin-nav-audit').click();
    await page.locator('#audit-list').waitFor();
    await page.locator('#audit-type').selectOption('device');
    await seeText(row(page, 'audit-list', 'pb-adm-1'), 'rotate_secret');
    await page.getByRole('button', { name: 'Verificar la cadena' }).click();
    await seeText(page.locator('#audit-verdict'), /Cadena íntegra: \d+ entradas verificadas/);
    await screenshot(page, 'admin-audit');
    expect(await unlabelledControls(page)).toEqual([]);
  });

  it('imports a CSV: the preview names every bad line; a good file is previewed, then imported', async () => {
    const { page } = admin;
    await page.locator('#admin-nav-import').click();
    await page.getByLabel('Qué se importa').selectOption('contacts');
    const [person] = await admin.t.centinela.repos.beneficiaries.list({ id: 'test', role: 'admin' });
    const bad = [
      'beneficiaryId,name,phone,relation',
      `${person?.id},Ana,+527470000001,tía`,
      `${person?.id},Beto,7470000002,tío`,
      'ben-nadie,Caro,+527470000003,prima',
    ];
    await page
      .getByLabel('Archivo CSV (UTF-8)')
      .setInputFiles({ name: 'contactos.csv', mimeType: 'text/csv', buffer: Buffer.from(bad.join('\n')) });
    await page.getByRole('button', { name: 'Revisar sin importar' }).click();
    await page.locator('#import-problems').waitFor();
    expect(await page.locator('#import-problems tbody tr').allTextContents()).toEqual([
      expect.stringMatching(/^3phone.*E\.164/),
      expect.stringMatching(/^4beneficiaryIdunknown beneficiary "ben-nadie"/),
    ]);
    await seeText(page.locator('#import-error'), 'nothing was imported');
    await screenshot(page, 'admin-import-problems');

    const good = [
      'beneficiaryId,name,phone,relation,channels',
      `${person?.id},Ana,+527470000001,tía,sms`,
      `${person?.id},Beto,+527470000002,tío,voice`,
    ];
    await page
      .getByLabel('Archivo CSV (UTF-8)')
      .setInputFiles({ name: 'contactos.csv', mimeType: 'text/csv', buffer: Buffer.from(good.join('\n')) });
    await page.getByRole('button', { name: 'Revisar sin importar' }).click();
    await seeText(page.locator('#import-preview'), 'Todo correcto: 2 filas listas para importar.');
    expect(await page.locator('#import-preview-rows tbody tr').count()).toBe(2);
    expect(await admin.t.centinela.repos.contacts.list({ id: 'test', role: 'admin' })).toEqual([]);
    await page.getByRole('button', { name: 'Importar 2 filas' }).click();
    await seeText(page.locator('#import-done'), 'Importación completa: 2 registros creados.');
    expect((await admin.t.centinela.repos.contacts.list({ id: 'test', role: 'admin' })).map((c) => c.name).sort()).toEqual(['Ana', 'Beto']);

    await page.getByLabel('Qué se importa').selectOption('devices');
    await page.getByLabel('Archivo CSV (UTF-8)').setInputFiles({
      name: 'botones.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('id,modelId,stateCode\npb-csv-1,panic-button,GRO\npb-csv-2,panic-button,GRO\n'),
    });
    await page.getByRole('button', { name: 'Revisar sin importar' }).click();
    await page.getByRole('button', { name: 'Importar 2 filas' }).click();
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Guardar las claves (CSV)' }).click();
    const file = await (await download).path();
    const { readFile } = await import('node:fs/promises');
    const lines = (await readFile(file, 'utf8')).split('\n');
    expect(lines[0]).toBe('deviceId,secret');
    const [id, secret] = (lines[1] ?? '').split(',');
    expect(await verifySecret(secret ?? '', (await admin.t.centinela.repos.devices.credentials(id ?? ''))?.secretHash ?? '')).toBe(true);
    await screenshot(page, 'admin-import-done');

    // A delivery list registered now, secrets issued later at each installation.
    await page.getByLabel('Archivo CSV (UTF-8)').setInputFiles({
      name: 'entrega.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('id,modelId,stateCode\npb-csv-3,panic-button,VER\n'),
    });
    await page.getByLabel(/Emitir las claves MQTT al instalar/).check();
    await page.getByRole('button', { name: 'Revisar sin importar' }).click();
    await page.getByRole('button', { name: 'Importar 1 filas' }).click();
    await seeText(page.locator('#import-done'), 'Importación completa: 1 registros creados.');
    expect(await page.locator('#import-secrets').count()).toBe(0);
    expect((await admin.t.centinela.repos.devices.credentials('pb-csv-3'))?.secretHash).toBe('unissued');
  });

  it('speaks English when asked', async () => {
    const { page } = admin;
    await page.getByRole('button', { name: 'English' }).click();
    await page.locator('#admin-title', { hasText: 'Import from a spreadsheet' }).waitFor();
    await seeText(page.locator('#nav-admin'), 'Administration');
    await page.locator('#admin-nav-devices').click();
    await page.getByRole('button', { name: 'Register a device' }).waitFor();
    await page.getByRole('button', { name: 'Español' }).click();
    await page.locator('#admin-title', { hasText: 'Dispositivos' }).waitFor();
  });

  it('loads with no console error and no CSP violation (the 400s of refused forms aside)', () => {
    expect(admin.problems.filter((p) => !/status of 40[09]/.test(p))).toEqual([]);
  });
});

describe('technicians and analysts', () => {
  for (const role of ['technician', 'analyst'] as const) {
    it(`a ${role} reaches no administration page and none of its data`, async () => {
      const user = await addConsoleUser(admin.t, role);
      const { page, context, problems } = await openConsole(admin.browser, admin.t.centinela.httpUrl);
      const fetched: string[] = [];
      page.on('request', (r) => fetched.push(r.url()));
      await logIn(page, user.name);
      await page.locator('#view').waitFor();
      expect(await page.locator('#nav-admin').count()).toBe(0);
      for (const path of ['/admin/devices', '/admin/beneficiaries', '/admin/users', '/admin/audit', '/admin/import']) {
        await page.goto(`/#${path}`);
        await page.waitForURL((url) => !url.hash.startsWith('#/admin'));
        expect(await page.locator('.admin-nav').count()).toBe(0);
      }
      // The API refuses them too, even when asked directly from their own session.
      const statuses = await page.evaluate(async () => {
        const session = (await (await fetch('/api/console/session')).json()) as { csrfToken: string };
        const headers = { 'x-centinela-csrf': session.csrfToken, 'content-type': 'text/csv' };
        return Promise.all([
          fetch('/api/users').then((r) => r.status),
          fetch('/api/audit').then((r) => r.status),
          fetch('/api/beneficiaries').then((r) => r.status),
          fetch('/api/contacts').then((r) => r.status),
          fetch('/api/imports/devices?dryRun=true', { method: 'POST', headers, body: 'id,modelId,stateCode\nx1,panic-button,GRO\n' }).then(
            (r) => r.status,
          ),
        ]);
      });
      expect(statuses).toEqual([403, 403, 403, 403, 403]);
      const dom = await page.content();
      for (const value of [PERSON.alias, PERSON.fullName, PERSON.address, '17.5515', CONTACT.name, '+527470000001', 'op.ramirez'])
        expect(dom, value).not.toContain(value);
      // The administration code itself (and Preact with it) is never even downloaded.
      expect(fetched.filter((u) => /views\/admin-|\/admin\/|vendor\/preact|vendor\/htm/.test(u))).toEqual([]);
      expect(problems.filter((p) => !/status of 403/.test(p))).toEqual([]);
      await context.close();
    });
  }
});

import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { seedCase } from './fixtures/alerts-world.ts';
import { consoleSuite, screenshot, seeText, unlabelledControls } from './fixtures/browser.ts';
import type { TestCentinela } from './fixtures/centinela.ts';
import { connectDevice } from './fixtures/mqtt.ts';

/**
 * P6: technicians see devices, not people. The technician's fleet board, device page and
 * incidents show state, battery and signal — and the DOM holds no name, alias or phone.
 */
let world: Awaited<ReturnType<typeof seedCase>>;
const seenHtml: string[] = [];

const HEARTBEATS = 6;

const tech = consoleSuite('technician', { seed: deviceHistory });

/** One case whose button sent a few hours of heartbeats, with one incident closed and one open. */
async function deviceHistory(t: TestCentinela) {
  world = await seedCase(t.centinela);
  // A few hours of heartbeats, sent now with their device times: the battery runs down.
  let received = 0;
  const allIn = new Promise<void>((resolve) => {
    const off = t.centinela.events.on('heartbeat.received', (e) => {
      if (e.deviceId === world.deviceId && ++received === HEARTBEATS) {
        off();
        resolve();
      }
    });
  });
  const device = await connectDevice(t.centinela.parts.ingest.mqttPort as number, { id: world.deviceId, secret: 's' });
  const now = Date.now();
  for (let i = 0; i < HEARTBEATS; i++) {
    const heartbeat = {
      ts: now - (HEARTBEATS - i) * 30 * 60_000,
      seq: i,
      battery: 92 - i * 3,
      signal: { network: 'lte', rssi: -70 - i * 4 },
      // A location is sent, as real buttons do; a technician must never be shown it.
      loc: { lat: 17.5515, lon: -99.5006 },
    };
    await device.publishAsync(`v1/devices/${world.deviceId}/heartbeat`, JSON.stringify(heartbeat), { qos: 1 });
  }
  await allIn;
  await device.endAsync();
  await t.centinela.parts.ingest.flushTelemetry();

  // Two incidents of this device as health records them: one closed last night, one still open.
  const hour = 3_600_000;
  await t.centinela.store.db
    .insertInto('health_incidents')
    .values([
      {
        id: 'inc-closed',
        device_id: world.deviceId,
        kind: 'offline',
        opened_at: now - 12 * hour,
        closed_at: now - 11 * hour,
        duration_ms: hour,
        closed_reason: 'recovered',
      },
      {
        id: 'inc-open',
        device_id: world.deviceId,
        kind: 'test_overdue',
        opened_at: now - 2 * hour,
        closed_at: null,
        duration_ms: null,
        closed_reason: null,
      },
    ])
    .execute();
}

const keep = async (page: Page) => seenHtml.push(await page.content(), (await page.locator('body').textContent()) ?? '');

describe('the technician console', () => {
  it('opens on the fleet board with counts per state and filters by state, kind, model and Mexican state', async () => {
    const { page } = tech;
    await page.locator('#fleet-list').waitFor();
    await seeText(page.locator('#fleet-list'), world.deviceId);
    await seeText(page.locator('.counts .count.live-online'), 'En línea');
    for (const label of ['Estado del dispositivo', 'Tipo', 'Modelo', 'Entidad federativa'])
      await page.getByLabel(label, { exact: true }).waitFor();
    await page.getByLabel('Entidad federativa').selectOption('GRO');
    await page.getByLabel('Tipo', { exact: true }).selectOption('panic_button');
    await seeText(page.locator('#fleet-list'), world.deviceId);
    await screenshot(page, 'technician-fleet');
    expect(await unlabelledControls(page)).toEqual([]);
    await keep(page);
  });

  it('shows the device page with battery and signal charts, the diagnosis, and puts the device on test', async () => {
    const { page } = tech;
    await page.locator('#fleet-list').getByRole('link', { name: world.deviceId }).click();
    await page.locator('#chart-battery canvas').waitFor();
    await page.locator('#chart-signal canvas').waitFor();
    await page.locator('#diagnosis dl').waitFor();
    await page.getByLabel('Duración (minutos, máx. 240)').fill('30');
    await page.getByRole('button', { name: 'Poner en prueba' }).click();
    await seeText(page.locator('#device-facts [role="status"]'), 'En prueba hasta');
    await screenshot(page, 'technician-device');
    expect(await unlabelledControls(page)).toEqual([]);
    await keep(page);
  });

  it('lists open incidents, and closed ones on request', async () => {
    const { page } = tech;
    await page.getByRole('link', { name: 'Incidentes' }).click();
    await page.locator('#incident-list').waitFor();
    await seeText(page.locator('#incident-list tbody tr'), 'Prueba vencida');
    expect(await page.locator('#incident-list tbody tr').count()).toBe(1);
    await page.getByLabel('Solo abiertos').uncheck();
    await page.locator('#incident-list tbody tr:nth-child(2)').waitFor();
    await seeText(page.locator('#incident-list tbody tr'), 'Fuera de línea');
    await screenshot(page, 'technician-incidents');
    await keep(page);
  });

  it('never puts a beneficiary name, alias, contact phone or location in the DOM', () => {
    const dom = seenHtml.join('\n');
    expect(dom).toContain(world.deviceId);
    const personal = [
      world.beneficiary.fullName,
      world.beneficiary.alias,
      world.contacts.es.name,
      world.contacts.es.phone,
      world.contacts.en.phone,
      world.beneficiary.id,
      '17.5515',
      '-99.5006',
    ];
    for (const value of personal) expect(dom, value).not.toContain(value);
    expect(tech.problems).toEqual([]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCentinela, type TestCentinela } from './fixtures/centinela.ts';

/**
 * P6: technicians see devices, not people; analysts see aggregates only. With a beneficiary,
 * a contact and a device registered, every GET route the role may call is swept for anything
 * that leads to the person.
 */
let t: TestCentinela;
const person = {
  fullName: 'Rosalía Quintero Bautista',
  alias: 'Garza Azul',
  phone: '+522281234599',
  contactName: 'Eusebio Quintero',
  lat: 17.551234,
  lon: -99.507812,
};
let beneficiaryId = '';
let contactId = '';
let alarmId = '';
const deviceId = 'pb-privacy-1';

async function api(method: string, path: string, token: string, body?: unknown) {
  const res = await fetch(`${t.centinela.httpUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, text: await res.text() };
}

beforeAll(async () => {
  t = await startTestCentinela('sqlite');
  const b = await api('POST', '/api/beneficiaries', t.tokens.admin, {
    alias: person.alias,
    fullName: person.fullName,
    kind: 'defender',
    stateCode: 'GRO',
    municipality: 'Chilpancingo',
    riskLevel: 'extraordinary',
    presumedAggressors: [{ type: 'authority', responderKind: 'municipal_police', stateCode: 'GRO', municipality: 'Chilpancingo' }],
  });
  beneficiaryId = JSON.parse(b.text).id;
  const c = await api('POST', '/api/contacts', t.tokens.admin, {
    beneficiaryId,
    name: person.contactName,
    phone: person.phone,
    relation: 'hermano',
  });
  contactId = JSON.parse(c.text).id;
  await api('POST', '/api/devices', t.tokens.admin, { id: deviceId, modelId: 'panic-button', beneficiaryId, stateCode: 'GRO' });
  // Where the person is: a heartbeat position and an alarm position, as ingest stores them.
  const now = Date.now();
  await t.centinela.store.db
    .insertInto('telemetry')
    .values({
      device_id: deviceId,
      at: now,
      received_at: now,
      kind: 'heartbeat',
      clock_suspect: 0,
      seq: 1,
      battery: 80,
      charging: 0,
      network: 'lte',
      rssi: -80,
      bars: 3,
      lat: person.lat,
      lon: person.lon,
      acc: 10,
      fw: null,
      event: null,
      detail: null,
    })
    .execute();
  alarmId = (
    await t.centinela.repos.alarmIntake.record({
      deviceId,
      deviceAlarmId: 'a-1',
      kind: 'panic',
      test: false,
      raisedAt: now,
      receivedAt: now,
      clockSuspect: false,
      beneficiaryId,
      loc: { lat: person.lat, lon: person.lon },
    })
  ).alarmId;
});
afterAll(async () => {
  await t?.stop();
});

const fill = (url: string) =>
  url
    .replace(
      ':id',
      url.startsWith('/api/devices')
        ? deviceId
        : url.startsWith('/api/beneficiaries')
          ? beneficiaryId
          : url.startsWith('/api/contacts')
            ? contactId
            : 'no-such-id',
    )
    .replace(/:(\w+)/g, 'no-such-$1');

async function sweep(role: 'technician' | 'analyst'): Promise<{ route: string; body: string }[]> {
  const seen: { route: string; body: string }[] = [];
  for (const route of t.centinela.app.routeCatalogue) {
    if (route.method !== 'GET' || route.access === 'public' || !route.access.includes(role) || route.url === '/api/stream') continue;
    const res = await api('GET', fill(route.url), t.tokens[role]);
    seen.push({ route: route.url, body: res.text });
  }
  return seen;
}

describe('what a technician receives', () => {
  it('never contains a beneficiary name, alias, contact, phone, location or the link to the person', async () => {
    const bodies = await sweep('technician');
    expect(bodies.map((b) => b.route)).toContain('/api/devices/:id');
    for (const { route, body } of bodies) {
      for (const secret of [
        person.fullName,
        person.alias,
        person.phone,
        person.contactName,
        beneficiaryId,
        String(person.lat),
        String(person.lon),
      ]) {
        expect(body, `${route} leaked personal data`).not.toContain(secret);
      }
    }
  });

  it('is refused the beneficiary and contact records outright', async () => {
    expect((await api('GET', `/api/beneficiaries/${beneficiaryId}`, t.tokens.technician)).status).toBe(403);
    expect((await api('GET', `/api/contacts/${contactId}`, t.tokens.technician)).status).toBe(403);
  });
});

describe('what an analyst receives', () => {
  it('contains no per-person record', async () => {
    for (const { route, body } of await sweep('analyst')) {
      for (const secret of [person.fullName, person.alias, person.phone, person.contactName, beneficiaryId, deviceId, String(person.lat)]) {
        expect(body, `${route} leaked a per-person record`).not.toContain(secret);
      }
    }
  });
});

describe('what an operator receives', () => {
  it('includes the person in the context of the alarm, and the read is written to the audit log with the request id', async () => {
    const res = await fetch(`${t.centinela.httpUrl}/api/beneficiaries/${beneficiaryId}?alarmId=${alarmId}`, {
      headers: { authorization: `Bearer ${t.tokens.operator}`, 'x-request-id': 'req-privacy-0001' },
    });
    expect(((await res.json()) as { fullName: string }).fullName).toBe(person.fullName);
    const audit = JSON.parse((await api('GET', `/api/audit?recordType=beneficiary&recordId=${beneficiaryId}`, t.tokens.admin)).text) as {
      actorRole: string;
      action: string;
      requestId: string;
    }[];
    expect(audit[0]).toMatchObject({ actorRole: 'operator', action: 'read', requestId: 'req-privacy-0001' });
  });
});

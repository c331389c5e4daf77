import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySecret } from '../src/platform/secrets.ts';
import { startTestCentinela, type TestCentinela } from './fixtures/centinela.ts';
import { ENGINES } from './fixtures/databases.ts';

describe.each(ENGINES)('the registry API on %s', (engine) => {
  let t: TestCentinela;
  const call = async (method: string, path: string, body?: unknown, token = t.tokens.admin) => {
    const res = await fetch(`${t.centinela.httpUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };

  beforeAll(async () => {
    t = await startTestCentinela(engine);
  });
  afterAll(async () => {
    await t?.stop();
  });

  describe('happy path', () => {
    it('registers a beneficiary, a contact, a responder and a device, and lists them', async () => {
      const ben = await call('POST', '/api/beneficiaries', {
        id: 'ben-ver-1',
        alias: 'Quetzal',
        fullName: 'Lucía Hernández',
        kind: 'journalist',
        stateCode: 'VER',
        municipality: 'Xalapa',
        riskLevel: 'high',
        presumedAggressors: [
          { type: 'authority', responderKind: 'municipal_police', stateCode: 'VER', municipality: 'Xalapa' },
          { type: 'non_state' },
        ],
      });
      expect(ben).toMatchObject({ status: 201, body: { id: 'ben-ver-1', language: 'es', riskLevel: 'high' } });
      const contact = await call('POST', '/api/contacts', {
        beneficiaryId: 'ben-ver-1',
        name: 'Pedro Hernández',
        phone: '+522281110000',
        relation: 'padre',
        language: 'en',
      });
      expect(contact).toMatchObject({ status: 201, body: { beneficiaryId: 'ben-ver-1', channels: ['sms', 'voice'], language: 'en' } });
      const responder = await call('POST', '/api/responders', {
        name: 'Policía Estatal de Veracruz',
        kind: 'state_police',
        stateCode: 'VER',
        phone: '+522288000000',
        escalationOrder: 1,
      });
      expect(responder).toMatchObject({ status: 201, body: { kind: 'state_police', municipality: null } });
      const device = await call('POST', '/api/devices', {
        id: 'pb-ver-1',
        modelId: 'panic-button',
        beneficiaryId: 'ben-ver-1',
        stateCode: 'VER',
        installedAt: '2026-01-15T10:00:00Z',
      });
      expect(device.status).toBe(201);
      expect(device.body.device).toMatchObject({ id: 'pb-ver-1', beneficiaryId: 'ben-ver-1', installedAt: '2026-01-15T10:00:00.000Z' });
      expect((await call('GET', '/api/devices?stateCode=VER')).body.map((d: { id: string }) => d.id)).toEqual(['pb-ver-1']);
      expect((await call('GET', '/api/contacts?beneficiaryId=ben-ver-1')).body).toHaveLength(1);
    });

    it('shows a device secret once, stores only a hash of it, and issues a new one on rotation', async () => {
      const created = await call('POST', '/api/devices', { id: 'pb-secret-1', modelId: 'panic-button', stateCode: 'OAX' });
      const secret: string = created.body.secret;
      expect(secret).toMatch(/^dev_[\w-]{40,}$/);
      expect((await call('GET', '/api/devices/pb-secret-1')).body).not.toHaveProperty('secret');
      const stored = await t.centinela.repos.devices.credentials('pb-secret-1');
      // A generated 256-bit secret needs no slow hash: SHA-256, as bearer tokens (src/platform/secrets.ts).
      expect(stored?.secretHash).toMatch(/^sha256\$[0-9a-f]{64}$/);
      expect(stored?.secretHash).not.toContain(secret);
      expect(await verifySecret(secret, stored?.secretHash ?? '')).toBe(true);

      const rotated = await call('POST', '/api/devices/pb-secret-1/secret', undefined, t.tokens.technician);
      expect(rotated.status).toBe(200);
      const after = await t.centinela.repos.devices.credentials('pb-secret-1');
      expect(await verifySecret(secret, after?.secretHash ?? '')).toBe(false);
      expect(await verifySecret(rotated.body.secret, after?.secretHash ?? '')).toBe(true);
    });

    it('creates a user whose token works at once', async () => {
      const created = await call('POST', '/api/users', { name: 'sup.ramirez', role: 'supervisor', phone: '+525512345678' });
      expect(created.status).toBe(201);
      expect((await call('GET', '/api/me', undefined, created.body.token)).body).toMatchObject({ name: 'sup.ramirez', role: 'supervisor' });
    });
  });

  describe('errors', () => {
    it('names the failing field of an invalid device and stores nothing', async () => {
      const bad = await call('POST', '/api/devices', { id: 'pb-bad-1', modelId: 'panic-button', stateCode: 'XX' });
      expect(bad.status).toBe(400);
      expect(bad.body.error).toMatchObject({ code: 'CENTINELA_ERR_VALIDATION', fields: [{ path: 'body.stateCode' }] });
      expect(bad.body.error.message).toContain('Mexican state code');
      expect(bad.body.error.requestId).toBeTruthy();
      expect((await call('GET', '/api/devices/pb-bad-1')).status).toBe(404);
    });

    it('refuses an unknown device model naming modelId', async () => {
      const bad = await call('POST', '/api/devices', { id: 'pb-bad-2', modelId: 'toaster', stateCode: 'VER' });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain('modelId');
      expect((await call('GET', '/api/devices/pb-bad-2')).status).toBe(404);
    });

    it('refuses a phone that is not E.164 and a contact of an unknown beneficiary', async () => {
      const phone = await call('POST', '/api/contacts', { beneficiaryId: 'ben-ver-1', name: 'X', phone: '2281234567', relation: 'amiga' });
      expect(phone.status).toBe(400);
      expect(phone.body.error.fields[0].path).toBe('body.phone');
      const orphan = await call('POST', '/api/contacts', {
        beneficiaryId: 'ben-nobody',
        name: 'X',
        phone: '+522281234567',
        relation: 'amiga',
      });
      expect(orphan.status).toBe(400);
      expect(orphan.body.error.message).toContain('beneficiaryId');
    });

    it('refuses an aggressor of an unknown type naming the field', async () => {
      const bad = await call('POST', '/api/beneficiaries', {
        alias: 'A',
        fullName: 'B',
        kind: 'defender',
        stateCode: 'OAX',
        riskLevel: 'high',
        presumedAggressors: [{ type: 'army' }],
      });
      expect(bad.status).toBe(400);
      expect(bad.body.error.fields[0].path).toMatch(/^body\.presumedAggressors\.0/);
    });

    it('answers unknown ids with 404 and duplicate ids with 409, keeping the original', async () => {
      expect((await call('GET', '/api/devices/pb-nope')).status).toBe(404);
      expect((await call('PATCH', '/api/beneficiaries/ben-nope', { riskLevel: 'high' })).status).toBe(404);
      await call('POST', '/api/devices', { id: 'pb-dup-1', modelId: 'panic-button', stateCode: 'CHH' });
      const dup = await call('POST', '/api/devices', { id: 'pb-dup-1', modelId: 'camera', stateCode: 'CMX' });
      expect(dup.status).toBe(409);
      expect(dup.body.error.code).toBe('CENTINELA_ERR_CONFLICT');
      expect((await call('GET', '/api/devices/pb-dup-1')).body).toMatchObject({ modelId: 'panic-button', stateCode: 'CHH' });
      const dupUser = await call('POST', '/api/users', { name: 'test-admin', role: 'admin' });
      expect(dupUser.status).toBe(409);
    });

    it('answers malformed JSON with 400, not 500', async () => {
      const res = await fetch(`${t.centinela.httpUrl}/api/devices`, {
        method: 'POST',
        headers: { authorization: `Bearer ${t.tokens.admin}`, 'content-type': 'application/json' },
        body: '{"id": ',
      });
      expect(res.status).toBe(400);
    });
  });

  describe('security', () => {
    it('lets only admins change the registry', async () => {
      for (const role of ['operator', 'supervisor', 'technician', 'analyst'] as const) {
        expect(
          (
            await call(
              'POST',
              '/api/beneficiaries',
              { alias: 'A', fullName: 'B', kind: 'defender', stateCode: 'OAX', riskLevel: 'high' },
              t.tokens[role],
            )
          ).status,
        ).toBe(403);
      }
    });

    it('serves the OpenAPI document describing the API', async () => {
      const res = await fetch(`${t.centinela.httpUrl}/docs/json`);
      const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
      expect(doc.openapi).toMatch(/^3\./);
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining([
          '/api/devices',
          '/api/beneficiaries',
          '/api/contacts',
          '/api/responders',
          '/api/users',
          '/api/device-models',
        ]),
      );
    });
  });
});

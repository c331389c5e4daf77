import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySecret } from '../src/platform/secrets.ts';
import { startTestCentinela, type TestCentinela } from './fixtures/centinela.ts';
import { runCli, tempDataDir } from './fixtures/cli.ts';
import { ENGINES } from './fixtures/databases.ts';

type Problem = { line: number; column?: string; message: string };

const BENEFICIARIES = [
  'id,alias,fullName,kind,stateCode,municipality,riskLevel,addresses,presumedAggressors',
  'ben-imp-1,Colibrí,Ana Peña Ruiz,journalist,GRO,Chilpancingo,high,"Casa: Calle 5 de Mayo 12, Chilpancingo | Oficina: Av. Juárez 3",state_police:GRO; non_state',
  'ben-imp-2,Jaguar,Tomás Ñúñez,defender,OAX,,extraordinary,,',
  'ben-imp-3,Garza,Colectivo Raíz,organisation,CHP,Tuxtla,ordinary,,municipal_police:CHP:Tuxtla',
].join('\n');

describe.each(ENGINES)('CSV imports on %s', (engine) => {
  let t: TestCentinela;
  const post = async (kind: string, body: string | Uint8Array, query = '', token = t.tokens.admin, type = 'text/csv') => {
    const res = await fetch(`${t.centinela.httpUrl}/api/imports/${kind}${query}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': type },
      body,
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> & { error?: { message: string; lines: Problem[] } } };
  };
  const count = async (table: 'beneficiaries' | 'contacts' | 'devices' | 'responders') =>
    Number(
      (
        await t.centinela.store.db
          .selectFrom(table)
          .select((e) => e.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    t = await startTestCentinela(engine);
  });
  afterAll(async () => {
    await t?.stop();
  });

  describe('happy path', () => {
    it('previews a file without writing, then imports it whole, with addresses and aggressors, audited', async () => {
      const preview = await post('beneficiaries', BENEFICIARIES, '?dryRun=true');
      expect(preview.status).toBe(200);
      expect(preview.body).toMatchObject({ dryRun: true, rows: 3, ids: [] });
      expect((preview.body.preview as { line: number; alias: string }[]).map((r) => [r.line, r.alias])).toEqual([
        [2, 'Colibrí'],
        [3, 'Jaguar'],
        [4, 'Garza'],
      ]);
      expect(await count('beneficiaries')).toBe(0);

      const done = await post('beneficiaries', BENEFICIARIES);
      expect(done.status).toBe(201);
      expect(done.body).toMatchObject({ dryRun: false, rows: 3, ids: ['ben-imp-1', 'ben-imp-2', 'ben-imp-3'] });
      const reader = { id: 'test', role: 'admin' as const };
      const ana = await t.centinela.repos.beneficiaries.get(reader, 'ben-imp-1');
      expect(ana).toMatchObject({
        fullName: 'Ana Peña Ruiz',
        language: 'es',
        presumedAggressors: [{ type: 'authority', responderKind: 'state_police', stateCode: 'GRO' }, { type: 'non_state' }],
      });
      // The row's addresses are the person's registered addresses, in the person's jurisdiction.
      expect((await t.centinela.repos.addresses.list(reader, 'ben-imp-1')).sort((a, b) => a.label.localeCompare(b.label))).toEqual([
        expect.objectContaining({
          label: 'Casa',
          line: 'Calle 5 de Mayo 12, Chilpancingo',
          stateCode: 'GRO',
          municipality: 'Chilpancingo',
        }),
        expect.objectContaining({ label: 'Oficina', line: 'Av. Juárez 3', stateCode: 'GRO' }),
      ]);
      expect(await t.centinela.repos.addresses.list(reader, 'ben-imp-2')).toEqual([]);
      const audit = await t.centinela.repos.audit.list({ recordType: 'beneficiary', limit: 50 });
      expect(audit.filter((e) => e.action === 'create').map((e) => e.record_id)).toEqual(
        expect.arrayContaining(['ben-imp-1', 'ben-imp-2', 'ben-imp-3']),
      );
      expect(audit.some((e) => e.action === 'import')).toBe(true);
      expect(await t.centinela.repos.audit.verify()).toMatchObject({ ok: true });
    });

    it('imports contacts, responders and devices; each device gets its own MQTT secret, shown once', async () => {
      const contacts = await post(
        'contacts',
        [
          'beneficiaryId,name,phone,relation,channels,priority',
          'ben-imp-1,Marta Ruiz,+527471234567,madre,sms;voice,0',
          'ben-imp-2,Luis Ñúñez,+529511234567,hermano,sms,1',
        ].join('\r\n'),
      );
      expect(contacts.status).toBe(201);
      expect((contacts.body.ids as string[]).length).toBe(2);
      const responders = await post(
        'responders',
        [
          'name,kind,stateCode,phone,escalationOrder',
          'Policía Estatal de Guerrero,state_police,GRO,+527474710000,1',
          'Reacción rápida,mechanism_rapid_reaction,GRO,+525550000000,2',
        ].join('\n'),
      );
      expect(responders.status).toBe(201);
      const devices = await post(
        'devices',
        [
          'id,modelId,beneficiaryId,stateCode,installedAt',
          'pb-imp-1,panic-button,ben-imp-1,GRO,2026-01-10T10:00:00Z',
          'cam-imp-1,camera,,OAX,',
        ].join('\n'),
      );
      expect(devices.status).toBe(201);
      const secrets = devices.body.secrets as { deviceId: string; secret: string }[];
      expect(secrets.map((s) => s.deviceId)).toEqual(['pb-imp-1', 'cam-imp-1']);
      const stored = await t.centinela.repos.devices.credentials('pb-imp-1');
      expect(await verifySecret(secrets[0]?.secret as string, stored?.secretHash as string)).toBe(true);
      expect(await t.centinela.repos.devices.get('pb-imp-1')).toMatchObject({
        beneficiaryId: 'ben-imp-1',
        installedAt: '2026-01-10T10:00:00.000Z',
      });
    });

    it('registers devices with no secret yet when asked to issue them at installation', async () => {
      const res = await post('devices', 'id,modelId,stateCode\npb-later-1,panic-button,GRO\n', '?secrets=later');
      expect(res.status).toBe(201);
      expect(res.body.secrets).toBeUndefined();
      const stored = (await t.centinela.repos.devices.credentials('pb-later-1'))?.secretHash as string;
      for (const guess of ['', 'unissued', 'dev_x']) expect(await verifySecret(guess, stored)).toBe(false);
      const issued = await fetch(`${t.centinela.httpUrl}/api/devices/pb-later-1/secret`, {
        method: 'POST',
        headers: { authorization: `Bearer ${t.tokens.admin}` },
      });
      const { secret, setup } = (await issued.json()) as { secret: string; setup: { url: string; qr: string } };
      expect(setup.url).toBe(`mqtt://pb-later-1:${secret}@127.0.0.1:${t.centinela.parts.ingest.mqttPort}`);
      expect(setup.qr).toMatch(/^data:image\/svg\+xml;base64,/);
      const now = (await t.centinela.repos.devices.credentials('pb-later-1'))?.secretHash as string;
      expect(await verifySecret(secret, now)).toBe(true);
    });
  });

  describe('bad input: nothing is written and every bad line is named', () => {
    it('refuses a file that is not UTF-8, naming the line', async () => {
      const latin1 = Buffer.from('id,alias,fullName,kind,stateCode,riskLevel\nben-l1,Pena,Ana Pe\xf1a,defender,GRO,high\n', 'latin1');
      const res = await post('beneficiaries', latin1);
      expect(res.status).toBe(400);
      expect(res.body.error?.message).toMatch(/not UTF-8 text \(line 2\).*CSV UTF-8/);
      const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('id,alias\n', 'utf16le')]);
      expect((await post('beneficiaries', utf16)).body.error?.message).toMatch(/UTF-16/);
    });

    it('names missing and unknown columns', async () => {
      const res = await post('contacts', 'beneficiaryId,name,telefono\nben-imp-1,X,+5211\n');
      expect(res.status).toBe(400);
      expect(res.body.error?.lines).toEqual([
        { line: 1, message: 'missing columns: phone, relation' },
        expect.objectContaining({ line: 1, column: 'telefono', message: expect.stringMatching(/unknown column "telefono"/) }),
      ]);
    });

    it('names every bad row: duplicate ids in the file and in the database, unknown states, malformed phones', async () => {
      const before = await count('beneficiaries');
      const file = [
        'id,alias,fullName,kind,stateCode,riskLevel',
        'ben-new-1,Uno,Persona Uno,defender,GRO,high',
        'ben-imp-2,Dos,Persona Dos,defender,OAX,high',
        'ben-new-3,Tres,Persona Tres,defender,XXX,high',
        'ben-new-1,Cuatro,Persona Cuatro,defender,GRO,urgent',
        'ben-new-5,Cinco,Persona Cinco,defender,VER,high',
      ].join('\n');
      for (const query of ['?dryRun=true', '']) {
        const res = await post('beneficiaries', file, query);
        expect(res.status).toBe(400);
        const lines = res.body.error?.lines ?? [];
        expect(lines.map((p) => [p.line, p.column])).toEqual([
          [3, 'id'],
          [4, 'stateCode'],
          [5, 'riskLevel'],
          [5, 'id'],
        ]);
        expect(lines[0]?.message).toBe('id "ben-imp-2" already exists');
        expect(lines[1]?.message).toMatch(/Mexican state code/);
        expect(lines[3]?.message).toBe('id "ben-new-1" repeats line 2 of this file');
      }
      expect(await count('beneficiaries')).toBe(before);

      const phones = await post(
        'contacts',
        [
          'beneficiaryId,name,phone,relation',
          'ben-imp-1,Bien,+527471234500,tía',
          'ben-imp-1,Mal,747 123 4567,tío',
          'ben-nadie,Otro,+527471234511,primo',
        ].join('\n'),
      );
      expect(phones.status).toBe(400);
      expect(phones.body.error?.lines).toEqual([
        { line: 3, column: 'phone', message: expect.stringMatching(/E\.164/) },
        { line: 4, column: 'beneficiaryId', message: 'unknown beneficiary "ben-nadie"' },
      ]);
      expect(phones.body.error?.message).toMatch(/^nothing was imported: 2 lines with problems/);
    });

    it('refuses a device id already registered, and an unknown model, without issuing any secret', async () => {
      const before = await count('devices');
      const res = await post(
        'devices',
        ['id,modelId,stateCode', 'pb-imp-2,panic-button,GRO', 'pb-imp-1,panic-button,GRO', 'tt-1,toaster,GRO'].join('\n'),
      );
      expect(res.status).toBe(400);
      expect(res.body.error?.lines).toEqual([
        { line: 3, column: 'id', message: 'device "pb-imp-1" is already registered' },
        { line: 4, column: 'modelId', message: 'unknown device model "toaster"' },
      ]);
      expect(JSON.stringify(res.body)).not.toMatch(/dev_/);
      expect(await count('devices')).toBe(before);
    });

    it('imports GT06 trackers by IMEI, refusing an IMEI repeated in the file or already registered', async () => {
      const ok = await post('devices', 'id,modelId,stateCode,hardwareId\ngt-imp-1,panic-button,GRO,359710049000011\n', '?secrets=later');
      expect(ok.status).toBe(201);
      expect(await t.centinela.repos.devices.get('gt-imp-1')).toMatchObject({ hardwareId: '359710049000011' });
      const before = await count('devices');
      const bad = await post(
        'devices',
        [
          'id,modelId,stateCode,hardwareId',
          'gt-imp-2,panic-button,GRO,359710049000022',
          'gt-imp-3,panic-button,GRO,359710049000022',
          'gt-imp-4,panic-button,GRO,359710049000011',
        ].join('\n'),
        '?secrets=later',
      );
      expect(bad.status).toBe(400);
      expect(bad.body.error?.lines).toEqual([
        { line: 3, column: 'hardwareId', message: 'hardware id "359710049000022" repeats line 2' },
        { line: 4, column: 'hardwareId', message: 'hardware id "359710049000011" is already registered' },
      ]);
      expect(await count('devices')).toBe(before);
    });

    it('refuses a body that is not CSV, a ragged row, and an empty file', async () => {
      expect((await post('devices', JSON.stringify({ id: 'x' }), '', t.tokens.admin, 'application/json')).status).toBe(400);
      const ragged = await post('responders', 'name,kind,stateCode,phone,escalationOrder\nA,state_police,GRO,+527474710000\n');
      expect(ragged.body.error?.lines).toEqual([{ line: 2, message: 'expected 5 cells as in the header, found 4' }]);
      expect((await post('responders', '')).status).toBe(400);
    });
  });

  describe('registered addresses', () => {
    const call = async (method: string, path: string, body?: unknown, token = t.tokens.admin) => {
      const res = await fetch(`${t.centinela.httpUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    };
    it('are added (the API naming a bad field), listed and removed by administrators only', async () => {
      const bad = await call('POST', '/api/beneficiaries/ben-imp-2/addresses', {
        label: 'Casa',
        line: 'Calle 1',
        stateCode: 'OAX',
        lat: 45,
      });
      expect(bad.status).toBe(400);
      expect(bad.body.error.fields).toEqual([expect.objectContaining({ path: 'body.lat' })]);
      const added = await call('POST', '/api/beneficiaries/ben-imp-2/addresses', {
        label: 'Casa',
        line: 'Calle Macedonio Alcalá 4, Oaxaca',
        stateCode: 'OAX',
        lat: 17.0654,
        lon: -96.7236,
      });
      expect(added).toMatchObject({ status: 201, body: { beneficiaryId: 'ben-imp-2', lat: 17.0654 } });
      expect((await call('POST', '/api/beneficiaries/ben-nadie/addresses', { label: 'X', line: 'Y', stateCode: 'OAX' })).status).toBe(404);
      expect((await call('GET', '/api/beneficiaries/ben-imp-2/addresses')).body).toHaveLength(1);
      for (const role of ['technician', 'analyst'] as const) {
        expect((await call('GET', '/api/beneficiaries/ben-imp-2/addresses', undefined, t.tokens[role])).status).toBe(403);
      }
      expect((await call('DELETE', `/api/beneficiaries/ben-imp-2/addresses/${added.body.id}`, undefined, t.tokens.operator)).status).toBe(
        403,
      );
      expect((await call('DELETE', `/api/beneficiaries/ben-imp-1/addresses/${added.body.id}`)).status).toBe(404);
      expect((await call('DELETE', `/api/beneficiaries/ben-imp-2/addresses/${added.body.id}`)).status).toBe(204);
      expect((await call('GET', '/api/beneficiaries/ben-imp-2/addresses')).body).toEqual([]);
    });
  });

  describe('security', () => {
    it('is for administrators only', async () => {
      for (const role of ['operator', 'supervisor', 'technician', 'analyst'] as const) {
        expect((await post('beneficiaries', BENEFICIARIES, '?dryRun=true', t.tokens[role])).status).toBe(403);
      }
    });
  });
});

describe('centinela import', { timeout: 120_000 }, () => {
  it('imports a file, refuses a bad one with every line and a one-line reason, and speaks JSON', async () => {
    const env = { CENTINELA_DATA_DIR: tempDataDir() };
    const good = path.join(env.CENTINELA_DATA_DIR, 'people.csv');
    fs.writeFileSync(good, BENEFICIARIES);
    const dry = await runCli(['import', 'beneficiaries', good, '--dry-run'], env);
    expect(dry).toMatchObject({ code: 0, stdout: `would import 3 beneficiaries from ${good}\n` });
    const ok = await runCli(['import', 'beneficiaries', good, '--json'], env);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ kind: 'beneficiaries', rows: 3, ids: ['ben-imp-1', 'ben-imp-2', 'ben-imp-3'] });

    const again = await runCli(['import', 'beneficiaries', good], env);
    expect(again.code).toBe(2);
    expect(again.stdout).toBe(
      [
        'line 2 id: id "ben-imp-1" already exists',
        'line 3 id: id "ben-imp-2" already exists',
        'line 4 id: id "ben-imp-3" already exists',
        '',
      ].join('\n'),
    );
    expect(again.stderr).toBe(`centinela: nothing was imported: 3 lines of ${good} with problems\n`);
    const json = await runCli(['import', 'beneficiaries', good, '--json'], env);
    expect(JSON.parse(json.stdout).error.lines).toHaveLength(3);

    const devices = path.join(env.CENTINELA_DATA_DIR, 'devices.csv');
    fs.writeFileSync(devices, 'id,modelId,beneficiaryId,stateCode\npb-cli-9,panic-button,ben-imp-1,GRO\n');
    const added = await runCli(['import', 'devices', devices], env);
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(/^imported 1 devices from .*\nMQTT secrets \(shown once\):\npb-cli-9\tdev_\S+\n$/);

    expect(await runCli(['import', 'people', good], env)).toMatchObject({
      code: 2,
      stderr: 'centinela: kind: expected one of beneficiaries, contacts, devices, responders\n',
    });
    expect((await runCli(['import', 'devices', '/nonexistent.csv'], env)).stderr).toBe('centinela: /nonexistent.csv: no such file\n');
  });
});

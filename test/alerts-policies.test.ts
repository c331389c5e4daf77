import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { DEFAULT_POLICY_DIR, loadPolicies } from '../src/alerts/escalation/policies.ts';
import { startAlerts } from '../src/alerts/index.ts';
import { DEFAULT_TEMPLATE_DIR, Templates } from '../src/alerts/templates.ts';
import { policyFor } from '../src/domain/escalation.ts';
import { EventBus } from '../src/events/index.ts';
import { createLogger, createMetrics, systemClock } from '../src/platform/index.ts';
import { freshStore } from './fixtures/databases.ts';

const dirs: string[] = [];
const tmp = (files: Record<string, unknown>) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'centinela-policies-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files))
    fs.writeFileSync(path.join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  return dir;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('escalation policies are data, validated at start', () => {
  test('the shipped panic policy is the one of docs/architecture.md', () => {
    const panic = loadPolicies().find((p) => p.name === 'panic');
    const steps = panic?.steps.map((s) => [s.afterS, s.target, s.channel, s.repeatS ?? null, s.onDispatch]);
    expect(steps).toEqual([
      [0, 'operators', 'console', 60, false],
      [0, 'operators', 'webhook', null, false],
      [0, 'contacts', 'sms', null, false],
      [30, 'supervisor', 'sms', 60, false],
      [60, 'responder', 'sms', null, true],
    ]);
    expect(fs.existsSync(path.join(DEFAULT_POLICY_DIR, 'device-offline.json'))).toBe(true);
  });

  test('a negative delay stops the start, naming the file and the field', () => {
    const dir = tmp({ 'bad.json': { name: 'bad', kinds: ['*'], steps: [{ afterS: -5, target: 'operators', channel: 'console' }] } });
    expect(() => loadPolicies(dir)).toThrow(/escalation policy .*bad\.json is invalid: steps\.0\.afterS: afterS must not be negative/);
  });

  test('an unknown target stops the start with a clear message', () => {
    const dir = tmp({ 'bad.json': { name: 'bad', kinds: ['*'], steps: [{ afterS: 0, target: 'army', channel: 'sms' }] } });
    expect(() => loadPolicies(dir)).toThrow(/steps\.0\.target: target must be one of operators, supervisor, contacts, responder/);
  });

  test('the alerts part refuses to start with such a policy, and says why', async () => {
    const dir = tmp({ 'bad.json': { name: 'bad', kinds: ['*'], steps: [{ afterS: -1, target: 'operators', channel: 'console' }] } });
    const db = await freshStore('sqlite');
    const logger = createLogger({ level: 'silent' });
    try {
      await expect(
        startAlerts({
          config: { publicUrl: 'http://localhost', twilio: undefined, webhook: undefined, policyDir: dir },
          logger,
          clock: systemClock,
          metrics: createMetrics(),
          repos: db.repos,
          events: new EventBus(logger),
        }),
      ).rejects.toThrow(/bad\.json is invalid: steps\.0\.afterS: afterS must not be negative/);
    } finally {
      await db.cleanup();
    }
  });

  test('a set of policies without a fallback for every kind is refused', () => {
    // The centre's panic.json overrides the shipped one (issue 14 §9) and drops the "*" fallback.
    const dir = tmp({ 'panic.json': { name: 'm', kinds: ['motion'], steps: [{ afterS: 0, target: 'operators', channel: 'console' }] } });
    expect(() => loadPolicies(dir)).toThrow(/none covers every kind/);
  });

  test('the shipped duress policy alone handles duress: the panic policy no longer claims it', () => {
    const shipped = loadPolicies();
    expect(shipped.filter((p) => p.kinds.includes('duress')).map((p) => p.name)).toEqual(['duress']);
    expect(policyFor(shipped, 'duress')?.name).toBe('duress');
  });

  test('two files of one folder claiming the same kind stop the start, naming both files', () => {
    const step = [{ afterS: 0, target: 'operators', channel: 'console' }];
    const dir = tmp({
      'a-intrusion.json': { name: 'night', kinds: ['intrusion'], steps: step },
      'b-intrusion.json': { name: 'day', kinds: ['motion', 'intrusion'], steps: step },
    });
    let message = '';
    try {
      loadPolicies(dir);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain(path.join(dir, 'a-intrusion.json'));
    expect(message).toContain(path.join(dir, 'b-intrusion.json'));
    expect(message).toContain('"intrusion"');
    // The shipped folder is held to the same rule (a second file claiming duress beside duress.json).
    const shipped = tmp({
      'device-offline.json': fs.readFileSync(path.join(DEFAULT_POLICY_DIR, 'device-offline.json'), 'utf8'),
      'duress.json': fs.readFileSync(path.join(DEFAULT_POLICY_DIR, 'duress.json'), 'utf8'),
      'panic.json': { name: 'panic', kinds: ['panic', 'duress', '*'], steps: step },
    });
    expect(() => loadPolicies(undefined, shipped)).toThrow(
      `escalation policies ${path.join(shipped, 'duress.json')} and ${path.join(shipped, 'panic.json')} both claim the kind "duress"`,
    );
  });

  test("a centre's file claiming a kind a shipped policy covers takes it over, whatever its name sorts like", () => {
    // "zz-…" sorts after panic.json: before, the shipped panic policy silently kept intrusion.
    const dir = tmp({
      'zz-intrusion.json': { name: 'night', kinds: ['intrusion'], steps: [{ afterS: 0, target: 'operators', channel: 'console' }] },
    });
    const policies = loadPolicies(dir);
    expect(policyFor(policies, 'intrusion')?.name).toBe('night');
    expect(policyFor(policies, 'panic')?.name).toBe('panic');
    expect(policies.filter((p) => p.kinds.includes('intrusion')).map((p) => p.name)).toEqual(['night']);
  });
});

describe('message templates are data per language', () => {
  test('a centre adds a language by adding a file, without code; missing keys fall back to Spanish', () => {
    const dir = tmp({
      'es.json': fs.readFileSync(path.join(DEFAULT_TEMPLATE_DIR, 'es.json'), 'utf8'),
      'nah.json': {
        language: 'nah',
        voiceLanguage: 'es-MX',
        kinds: { panic: 'tlatzacuiliztli' },
        messages: { contact: 'Centinela: {alias} {what}. {ref}' },
      },
    });
    const t = Templates.load(dir);
    expect(t.render('nah', 'contact', { alias: 'Colibrí', what: t.kindLabel('nah', 'panic'), ref: 'alm_1' })).toBe(
      'Centinela: Colibrí tlatzacuiliztli. alm_1',
    );
    expect(t.render('nah', 'smsUnknownPhone', {})).toBe('Centinela: número no registrado.');
    expect(t.resolve('fr')).toBe('es');
    // The centre's folder adds to the shipped languages (issue 14 §9): English is still there.
    expect(t.resolve('en-GB')).toBe('en');
    expect(Templates.load().resolve('en-GB')).toBe('en');
  });
});

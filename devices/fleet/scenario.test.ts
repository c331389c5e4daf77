import { describe, expect, test } from 'vitest';
import { beneficiaryCreateSchema, contactCreateSchema, deviceCreateSchema, responderCreateSchema } from '../../src/domain/registry.ts';
import { alarmPlan } from './alarm-plan.ts';
import { expandScenario, scenarioFleetDevices } from './expand-scenario.ts';
import { DEFAULT_SCENARIO_PATH, loadScenario, parseScenario, ScenarioError, TINY_SCENARIO_PATH } from './scenario-loader.ts';

const take = <T>(it: Iterator<T>, n: number): T[] => Array.from({ length: n }, () => it.next().value as T);

describe('scenario files', () => {
  test('every record the default and tiny scenarios expand to is accepted by the registry schemas', async () => {
    for (const file of [DEFAULT_SCENARIO_PATH, TINY_SCENARIO_PATH]) {
      const records = expandScenario(await loadScenario(file));
      for (const r of records.responders) expect(responderCreateSchema.parse(r)).toEqual(r);
      for (const b of records.beneficiaries) expect(beneficiaryCreateSchema.parse(b)).toEqual(b);
      for (const c of records.contacts) expect(contactCreateSchema.parse(c)).toEqual(c);
      for (const d of records.devices) expect(deviceCreateSchema.parse(d)).toMatchObject({ id: d.id, modelId: d.modelId });
      const contactIds = records.contacts.map((c) => c.id);
      expect(new Set(contactIds).size).toBe(contactIds.length);
    }
  });

  test('the default scenario covers the six written states among 16 or more, a mountain satellite phone that rarely connects, dying devices and frequent alarms', async () => {
    const s = await loadScenario();
    const records = expandScenario(s);
    const states = new Set<string>(records.beneficiaries.map((b) => b.stateCode));
    for (const code of ['VER', 'GRO', 'OAX', 'CHP', 'CMX', 'CHH']) expect(states.has(code)).toBe(true);
    expect(states.size).toBeGreaterThanOrEqual(16);
    expect(new Set(records.beneficiaries.map((b) => b.kind))).toEqual(new Set(['defender', 'journalist', 'organisation']));
    const devices = scenarioFleetDevices(s);
    expect(
      devices.some((d) => d.model === 'satellite-phone' && d.terrain === 'mountain' && (d.checkinFailureProbability ?? 0) >= 0.8),
    ).toBe(true);
    expect(devices.filter((d) => d.diesAfterS !== undefined).length).toBeGreaterThanOrEqual(2);
    expect(new Set(devices.map((d) => d.model))).toEqual(new Set(['panic-button', 'camera', 'satellite-phone']));
    expect(s.alarmEveryS).toBeLessThanOrEqual(600);
    // Every state with people has every kind of responder, so a skipped aggressor leaves someone to send.
    for (const code of states)
      expect(new Set(records.responders.filter((r) => r.stateCode === code).map((r) => r.kind))).toEqual(
        new Set(['municipal_police', 'state_police', 'federal_force', 'mechanism_rapid_reaction']),
      );
    expect(
      records.beneficiaries.some((b) => b.presumedAggressors.some((a) => a.type === 'authority' && a.responderKind === 'municipal_police')),
    ).toBe(true);
  });

  test('no phone number in a shipped scenario can reach a real person (+52 followed by 0)', async () => {
    for (const file of [DEFAULT_SCENARIO_PATH, TINY_SCENARIO_PATH]) {
      const r = expandScenario(await loadScenario(file));
      for (const phone of [...r.contacts.map((c) => c.phone), ...r.responders.map((x) => x.phone)]) expect(phone).toMatch(/^\+520\d+$/);
    }
  });

  test('a bad scenario is refused with the path of each bad field', async () => {
    const good = structuredClone(await loadScenario(TINY_SCENARIO_PATH)) as unknown as {
      beneficiaries: { devices: Record<string, unknown>[] }[];
    };
    const device = good.beneficiaries[0]?.devices[0] as Record<string, unknown>;
    device.model = 'smoke-signal';
    expect(() => parseScenario(good, 'broken.json')).toThrow(ScenarioError);
    expect(() => parseScenario(good, 'broken.json')).toThrow(/broken\.json: beneficiaries\.0\.devices\.0\.model/);
    device.model = 'panic-button';
    device.terrain = 'mountain';
    expect(() => parseScenario(good, 'broken.json')).toThrow(
      /beneficiaries\.0\.devices\.0\.terrain: terrain applies to satellite phones only/,
    );
  });

  test('the alarm plan is the same for a seed, differs for another, and never presses a dead device', async () => {
    const devices = scenarioFleetDevices(await loadScenario());
    const a = take(alarmPlan(devices, 1, 240), 200);
    expect(take(alarmPlan(devices, 1, 240), 200)).toEqual(a);
    expect(take(alarmPlan(devices, 2, 240), 200)).not.toEqual(a);
    for (const p of a) {
      const d = devices.find((x) => x.id === p.deviceId);
      expect(d?.model).not.toBe('camera');
      expect(d?.diesAfterS === undefined || (d.diesAfterS as number) > p.atS).toBe(true);
    }
    expect(a.filter((p) => p.kind === 'panic').length).toBeGreaterThan(100);
  });
});

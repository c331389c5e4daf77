import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadPlans } from './load-plans.ts';
import { stepsFor } from './plan-steps.ts';

const dirs: string[] = [];
const folder = (files: Record<string, unknown>) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plans-'));
  dirs.push(dir);
  for (const [name, body] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), typeof body === 'string' ? body : JSON.stringify(body));
  }
  return dir;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const panic = { name: 'panic', kinds: ['panic'], steps: [{ id: 'call', type: 'call_beneficiary', title: 'Llamar' }] };

describe('loading action plans at start', () => {
  it('loads the shipped plans: panic, duress and the silent-device task', () => {
    const names = loadPlans().map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['panic', 'duress', 'device-offline']));
  });

  it('refuses an unknown step type, naming the file', () => {
    const dir = folder({ 'panic.json': panic, 'odd.json': { ...panic, name: 'odd', steps: [{ id: 'x', type: 'pray', title: 'X' }] } });
    expect(() => loadPlans(dir)).toThrow(new RegExp(`action plan ${path.join(dir, 'odd.json')} is invalid: steps.0.type`));
  });

  it('refuses a cycle, naming the file and the steps', () => {
    const cyclic = {
      name: 'cyclic',
      kinds: ['fall'],
      steps: [
        { id: 'a', type: 'check', title: 'A', after: ['b'] },
        { id: 'b', type: 'check', title: 'B', after: ['a'] },
      ],
    };
    const dir = folder({ 'centre/cyclic.json': cyclic, 'panic.json': panic });
    expect(() => loadPlans(dir)).toThrow(/centre\/cyclic\.json is invalid: steps: steps form a cycle: a → b → a/);
  });

  it('refuses unreadable JSON and two files with one name, naming the file', () => {
    expect(() => loadPlans(folder({ 'panic.json': '{ nope' }))).toThrow(/panic\.json: not readable JSON/);
    expect(() => loadPlans(folder({ 'a.json': panic, 'b.json': panic }))).toThrow(/b\.json: name "panic" is already used by a\.json/);
  });

  it("lets a centre's folder override a shipped plan by name and add its own", () => {
    const own = { name: 'panic', kinds: ['panic'], steps: [{ id: 'radio', type: 'check', title: 'Radio' }] };
    const extra = { name: 'fall', kinds: ['fall'], steps: [{ id: 'amb', type: 'call_responder', title: 'Ambulancia' }] };
    const plans = loadPlans(folder({ 'panic.json': panic, 'centre/panic.json': own, 'centre/fall.json': extra }));
    expect(plans.map((p) => `${p.name}:${p.steps[0]?.id}`).sort()).toEqual(['fall:amb', 'panic:radio']);
  });
});

describe('the steps copied onto an alarm', () => {
  const plans = loadPlans();
  const addition = (id: string, after: string[] = [], kinds: string[] | null = null) => ({
    id: `c-${id}`,
    beneficiaryId: 'ben',
    step: { id, type: 'check' as const, title: id, after },
    kinds,
    createdBy: 'sup',
    createdAt: 0,
  });

  it("appends a case's steps, replaces a plan step of the same id in place, and leaves out other kinds' additions", () => {
    const { planName, steps } = stepsFor(plans, 'panic', [
      addition('call-contact-1'),
      addition('lawyer', ['call-beneficiary']),
      addition('only-fall', [], ['fall']),
    ]);
    expect(planName).toBe('panic');
    expect(steps.map((s) => `${s.index}:${s.key}:${s.source}`)).toEqual([
      '0:call-beneficiary:plan',
      '1:security-question:plan',
      '2:call-contact-1:case',
      '3:call-responder:plan',
      '4:confirm-on-scene:plan',
      '5:lawyer:case',
    ]);
  });

  it("drops a case step's wait that this kind's plan cannot satisfy instead of leaving it unmarkable", () => {
    const { planName, steps } = stepsFor(plans, 'test', [addition('check-in', ['security-question'])]);
    expect(planName).toBeNull();
    expect(steps).toEqual([expect.objectContaining({ key: 'check-in', after: [] })]);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateHistory } from '../devices/history/generate.ts';
import { REMOTE_MUNICIPALITY, remoteMunicipality } from '../devices/history/remote-municipality.ts';
import { suitabilityInputs } from '../devices/history/report-histories.ts';
import { DEFAULT_SCENARIO_PATH, loadScenario } from '../devices/index.ts';
import { suitabilityReport, thresholdsSchema } from '../src/domain/suitability.ts';

const END = Date.UTC(2026, 10, 1);
const DAY = 86_400_000;
const thresholds = thresholdsSchema.parse(
  JSON.parse(readFileSync(new URL('../src/health/suitability/thresholds.json', import.meta.url), 'utf8')),
);

describe('suitability over the seeded year with the remote municipality (devices/history/remote-municipality.ts)', async () => {
  const scenario = await loadScenario(DEFAULT_SCENARIO_PATH);
  const remote = remoteMunicipality(scenario.seed, END);
  const inputs = [
    ...suitabilityInputs(scenario, generateHistory(scenario, scenario.seed, END)),
    ...suitabilityInputs({ beneficiaries: remote.beneficiaries }, remote.history),
  ];
  const period = { from: END - 90 * DAY, to: END, asOf: END, timeZone: 'UTC' };
  const forSupervisor = suitabilityReport(inputs, { period, outages: [], thresholds, suppressSmallGroups: false });
  const row = (kind: string) => forSupervisor.rows.find((r) => r.municipality === REMOTE_MUNICIPALITY.municipality && r.kind === kind);

  it('shows both failures there: panic buttons cannot bring help in time, satellite phones rarely capture the signal', () => {
    const buttons = row('panic_button');
    expect(buttons).toMatchObject({ state: 'CHH', people: 6, verdict: 'unsuitable' });
    expect(buttons?.onSceneP50Min).toBeGreaterThan(150);
    expect(buttons?.reasons.map((r) => r.text.en).join(' ')).toMatch(
      /^panic buttons here: help on scene p50 \d h( \d+ min)? — a button cannot bring help in time/,
    );
    const phones = row('satellite_phone');
    expect(phones).toMatchObject({ state: 'CHH', people: 6, verdict: 'unsuitable' });
    expect(phones?.checkInShare).toBeGreaterThan(0.3);
    expect(phones?.checkInShare).toBeLessThan(0.45);
    expect(phones?.reasons.map((r) => r.text.en)).toContain(
      `satellite phones here: ${Math.round((phones?.checkInShare ?? 0) * 100)} % of check-ins arrive — they rarely capture the signal`,
    );
  });

  it('a city municipality of the demo keeps its buttons: no "slow help" verdict in Mexico City', () => {
    const cmx = forSupervisor.rows.find((r) => r.state === 'CMX' && r.municipality === null && r.kind === 'panic_button');
    expect(cmx?.verdict).not.toBe('no_data');
    expect(cmx?.reasons.map((r) => r.figure)).not.toContain('onSceneP50Min');
  });

  it("for analysts at the demo's scale the satellite verdict shows, and a cell that would reveal Chihuahua's remaining 2 people is withheld", () => {
    const forAnalyst = suitabilityReport(inputs, { period, outages: [], thresholds, suppressSmallGroups: true });
    const cell = (kind: string, municipality: string | null) =>
      forAnalyst.rows.find((r) => r.state === 'CHH' && r.kind === kind && r.municipality === municipality);
    // Satellite phones there: six people, a verdict an analyst may read.
    expect(cell('satellite_phone', REMOTE_MUNICIPALITY.municipality)).toMatchObject({
      suppressed: false,
      verdict: 'unsuitable',
      people: 6,
    });
    // Panic buttons in Chihuahua: 24 people, 16 in the capital, 6 in the remote place and 2 elsewhere.
    // The 2 are withheld, and with them the smallest shown sibling, or the state's row minus the
    // shown municipalities would give them.
    expect(cell('panic_button', null)).toMatchObject({ suppressed: false, people: 24 });
    expect(cell('panic_button', REMOTE_MUNICIPALITY.municipality)).toMatchObject({ suppressed: true, verdict: null });
    expect(cell('panic_button', REMOTE_MUNICIPALITY.municipality)?.people).toBeUndefined();
  });
});

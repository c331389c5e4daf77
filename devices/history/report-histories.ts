import type { DeviceHistory } from '../../src/domain/reports-types.ts';
import type { SuitabilityInput } from '../../src/domain/suitability.ts';
import camera from '../catalogue/camera.json' with { type: 'json' };
import panicButton from '../catalogue/panic-button.json' with { type: 'json' };
import satellitePhone from '../catalogue/satellite-phone.json' with { type: 'json' };
import type { Scenario } from '../fleet/scenario-schema.ts';
import type { History } from './generate.ts';

const MODELS = { 'panic-button': panicButton, camera, 'satellite-phone': satellitePhone } as const;

/**
 * A generated year as the reports read it (the same facts the store hands them after
 * `seedHistory`), so tests and benchmarks can run the pure reports over a seeded year without a
 * database. Heartbeat counts stay per UTC day: run such reports in the UTC zone.
 */
export function reportHistories(scenario: Pick<Scenario, 'beneficiaries'>, history: History): DeviceHistory[] {
  const out: DeviceHistory[] = [];
  for (const b of scenario.beneficiaries) {
    for (const d of b.devices) {
      const model = MODELS[d.model];
      out.push({
        device: {
          id: d.id,
          kind: model.kind,
          modelId: model.id,
          stateCode: b.stateCode,
          municipality: b.municipality,
          beneficiaryId: b.id,
          monthlyCostMxn: model.monthlyCostMxn,
          heartbeatIntervalS: model.heartbeatIntervalS,
          alarmCapable: model.alarmCapable,
          requestedAt: null,
          installedAt: history.installedAt[d.id] ?? null,
          retiredAt: null,
        },
        intervals: history.intervals
          .filter((i) => i.deviceId === d.id)
          .map((i) => ({ state: i.state, start: i.startedAt, end: i.endedAt })),
        maintenance: [],
        heartbeatDays: history.heartbeatDays.filter((h) => h.deviceId === d.id).map((h) => ({ day: h.day, received: h.received })),
        alarms: history.alarms
          .filter((a) => a.deviceId === d.id)
          .map((a) => ({
            kind: a.kind,
            test: a.test,
            outcome: a.outcome,
            receivedAt: a.raisedAt,
            acknowledgedAt: a.acknowledgedAt,
            dispatchedAt: a.dispatchedAt,
            onSceneAt: a.onSceneAt,
          })),
      });
    }
  }
  return out;
}

/** The same, with each device's signal readings (dBm), for the suitability report. */
export function suitabilityInputs(scenario: Pick<Scenario, 'beneficiaries'>, history: History): SuitabilityInput[] {
  const rssi = new Map<string, number[]>();
  for (const s of history.samples)
    if (s.rssi !== undefined && s.rssi !== null) rssi.set(s.deviceId, [...(rssi.get(s.deviceId) ?? []), s.rssi]);
  return reportHistories(scenario, history).map((h) => ({ ...h, rssi: rssi.get(h.device.id) ?? [] }));
}

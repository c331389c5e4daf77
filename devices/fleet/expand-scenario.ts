import type { BeneficiaryCreate, ContactCreate, DeviceCreate, ResponderCreate } from '../../src/domain/registry.ts';
import type { FleetDevice } from './fleet-device.ts';
import type { Scenario } from './scenario-schema.ts';

export interface RegistryRecords {
  responders: ResponderCreate[];
  beneficiaries: BeneficiaryCreate[];
  contacts: ContactCreate[];
  devices: DeviceCreate[];
}

/**
 * What the demo registers through Centinela's repositories, in this order (responders before
 * the beneficiaries whose aggressors may name them). Pure: same scenario, same records.
 * Scenario files hold aliases only, so the registry's full name is an evident placeholder.
 */
export function expandScenario(scenario: Scenario): RegistryRecords {
  const records: RegistryRecords = { responders: [], beneficiaries: [], contacts: [], devices: [] };
  for (const r of scenario.responders) {
    records.responders.push({ ...r, language: r.language ?? 'es' });
  }
  for (const b of scenario.beneficiaries) {
    records.beneficiaries.push({
      id: b.id,
      alias: b.alias,
      fullName: `Persona ficticia (${b.alias})`,
      kind: b.kind,
      stateCode: b.stateCode,
      municipality: b.municipality,
      riskLevel: b.riskLevel,
      language: b.language ?? 'es',
      presumedAggressors: b.presumedAggressors,
    });
    b.contacts.forEach((c, i) => {
      records.contacts.push({
        id: c.id ?? `${b.id}-c${i + 1}`,
        beneficiaryId: b.id,
        name: c.name,
        phone: c.phone,
        relation: c.relation,
        // Contacts default to Spanish even when the beneficiary speaks another language: they are
        // often relatives or colleagues in town, and the shipped templates are es and en.
        language: c.language ?? 'es',
        channels: c.channels ?? ['sms', 'voice'],
        priority: i,
      });
    });
    for (const d of b.devices) {
      records.devices.push({ id: d.id, modelId: d.model, beneficiaryId: b.id, stateCode: b.stateCode, installedAt: d.installedAt ?? null });
    }
  }
  return records;
}

/**
 * The scenario's devices as the fleet runner wants them, with the secrets the caller got when
 * registering them (omit `secrets` for an anonymous broker).
 */
export function scenarioFleetDevices(scenario: Scenario, secrets: Record<string, string> = {}): FleetDevice[] {
  return scenario.beneficiaries.flatMap((b) =>
    b.devices.map(({ installedAt: _installed, ...d }) => ({ ...d, ...(secrets[d.id] !== undefined ? { secret: secrets[d.id] } : {}) })),
  );
}

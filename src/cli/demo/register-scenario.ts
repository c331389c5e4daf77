import type { History } from '../../../devices/history/generate.ts';
import { expandScenario, type RegistryRecords, type Scenario } from '../../../devices/index.ts';
import { generateCredential, hashDeviceSecret } from '../../platform/secrets.ts';
import type { Actor, Repositories } from '../../store/index.ts';

/** scrypt runs on libuv's thread pool: this many hashes at once keep both cores busy, no more. */
const HASH_BATCH = 4;
const DAY = 86_400_000;

/**
 * Registers the scenario through the repositories, as an administrator would (every record
 * audited): responders, people, contacts, each person's home address, and the devices with a
 * fresh secret each. Returns the records and the secrets the simulated fleet connects with.
 */
export async function registerScenario(
  repos: Repositories,
  actor: Actor,
  scenario: Scenario,
  history: History,
): Promise<{ records: RegistryRecords; secrets: Record<string, string> }> {
  const records = expandScenario(scenario);
  for (const r of records.responders) await repos.responders.create(actor, r);
  for (const b of records.beneficiaries) await repos.beneficiaries.create(actor, b);
  for (const c of records.contacts) await repos.contacts.create(actor, c);
  // Each person's home, where their devices usually are: the map shows it when a device sends no fix.
  for (const b of scenario.beneficiaries) {
    const home = b.devices.find((d) => d.home)?.home;
    await repos.addresses.create(actor, {
      beneficiaryId: b.id,
      label: 'Domicilio',
      line: `Domicilio ficticio de ${b.alias}`,
      municipality: b.municipality,
      stateCode: b.stateCode,
      ...(home ? { lat: home.lat, lon: home.lon } : {}),
    });
  }
  const secrets: Record<string, string> = {};
  for (let i = 0; i < records.devices.length; i += HASH_BATCH) {
    const batch = records.devices.slice(i, i + HASH_BATCH);
    const hashed = await Promise.all(
      batch.map((d) => {
        secrets[d.id] = generateCredential('dev');
        return hashDeviceSecret(secrets[d.id] as string);
      }),
    );
    for (const [k, d] of batch.entries()) {
      const installed = history.installedAt[d.id] ?? Date.now();
      const installedAt = new Date(installed).toISOString();
      const requestedAt = new Date(installed - (10 + (d.id.length % 25)) * DAY).toISOString();
      await repos.devices.create(actor, { ...d, installedAt, requestedAt }, hashed[k] as string);
    }
  }
  return { records, secrets };
}

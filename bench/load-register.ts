/**
 * Registers a synthetic national fleet straight into Centinela's SQLite database before
 * `centinela serve` starts: every panic button belongs to its own beneficiary, who has one
 * trusted contact reachable by SMS, so every alarm's first notification is an SMS we can time.
 *
 * Rows go in with prepared statements in one transaction (the repositories' audited one-by-one
 * inserts would take minutes for 20,000 devices). Each device has its own secret, stored exactly
 * as `POST /api/devices` stores it (production hashing: SHA-256, src/platform/secrets.ts), so
 * connecting the fleet costs what it costs a real centre.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { FleetDevice } from '../devices/fleet/fleet-device.ts';
import { hashDeviceSecret, systemClock } from '../src/platform/index.ts';
import { createRepositories, loadCatalogue, migrateToLatest, openStore, systemActor } from '../src/store/index.ts';

/** A device's secret, derived from its id so every process of a run (and plain aedes) agrees on it. */
export const secretOf = (id: string): string => `dev_${createHash('sha256').update(`load-bench:${id}`).digest('base64url')}`;
const STATES = ['VER', 'GRO', 'OAX', 'CHP', 'CMX', 'CHH'];

export interface RegisteredFleet {
  /** Bearer token of a supervisor (reads the live stream). */
  supervisorToken: string;
  /** Fleet devices in registration order, with their secret. */
  devices: FleetDevice[];
  /** The contact's phone number → the device whose alarm pages it. */
  deviceOfPhone: Map<string, string>;
}

export const phoneOf = (i: number): string => `+5255${String(i).padStart(8, '0')}`;

/** The id of the i-th bench device. */
export const benchDeviceId = (prefix: string, i: number) => `${prefix}-${String(i).padStart(6, '0')}`;
const deviceId = benchDeviceId;

/** The same fleet for a server without a registry (plain aedes). */
export function unregisteredFleet(count: number, prefix = 'lb'): RegisteredFleet {
  const devices = Array.from(
    { length: count },
    (_, i): FleetDevice => ({ id: deviceId(prefix, i), model: 'panic-button', secret: secretOf(deviceId(prefix, i)) }),
  );
  return { supervisorToken: '', devices, deviceOfPhone: new Map() };
}

/** Creates the database in `dataDir` with `count` panic buttons named `${prefix}-000000`…. */
export async function registerFleet(dataDir: string, count: number, prefix = 'lb'): Promise<RegisteredFleet> {
  const store = await openStore({ kind: 'sqlite', file: path.join(dataDir, 'centinela.db') });
  try {
    await migrateToLatest(store.db, store.engine);
    const repos = createRepositories(store, systemClock);
    await repos.deviceModels.upsertAll(await loadCatalogue());
    const { token } = await repos.users.create(systemActor('load-bench'), { name: 'load-bench-supervisor', role: 'supervisor' });
    const db = store.sqlite;
    if (!db) throw new Error('the load benchmark registers into SQLite');
    const now = Date.now();
    const installed = now - 30 * 86_400_000;
    const ben = db.prepare(
      `insert into beneficiaries (id, alias, full_name, kind, state_code, municipality, risk_level, language, presumed_aggressors, created_at, updated_at)
       values (?, ?, ?, 'defender', ?, null, 'high', 'es', '[]', ?, ?)`,
    );
    const contact = db.prepare(
      `insert into contacts (id, beneficiary_id, name, phone, relation, language, channels, priority, created_at)
       values (?, ?, ?, ?, 'family', 'es', '["sms"]', 0, ?)`,
    );
    const dev = db.prepare(
      `insert into devices (id, model_id, beneficiary_id, state_code, requested_at, installed_at, retired_at, heartbeat_interval_s, offline_after_s, on_test_until, secret_hash, created_at, updated_at)
       values (?, 'panic-button', ?, ?, ?, ?, null, null, null, null, ?, ?, ?)`,
    );
    const devices: FleetDevice[] = [];
    const deviceOfPhone = new Map<string, string>();
    db.transaction(() => {
      for (let i = 0; i < count; i++) {
        const id = deviceId(prefix, i);
        const state = STATES[i % STATES.length] as string;
        ben.run(`ben-${id}`, `alias ${id}`, `Bench ${id}`, state, now, now);
        contact.run(`con-${id}`, `ben-${id}`, `Contact ${id}`, phoneOf(i), now);
        const secret = secretOf(id);
        dev.run(id, `ben-${id}`, state, installed - 14 * 86_400_000, installed, hashDeviceSecret(secret), now, now);
        devices.push({ id, model: 'panic-button', secret });
        deviceOfPhone.set(phoneOf(i), id);
      }
    })();
    return { supervisorToken: token, devices, deviceOfPhone };
  } finally {
    await store.close();
  }
}

/**
 * Bulk fixtures for the health benchmarks: a fleet written straight into SQLite with prepared
 * statements (the repositories' audited one-by-one inserts would take longer than the bench).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { systemClock } from '../src/platform/index.ts';
import { createRepositories, loadCatalogue, migrateToLatest, openStore, type Store } from '../src/store/index.ts';

export const STATES = ['VER', 'GRO', 'OAX', 'CHH', 'CMX', 'MIC', 'JAL', 'TAM', 'CHP', 'SIN'];
export const MODELS = ['panic-button', 'panic-button', 'panic-button', 'satellite-phone', 'camera'];

export async function benchStore(): Promise<{ store: Store; dir: string; cleanup(): Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'centinela-bench-'));
  const store = await openStore({ kind: 'sqlite', file: path.join(dir, 'centinela.db') });
  await migrateToLatest(store.db, store.engine);
  await createRepositories(store, systemClock).deviceModels.upsertAll(await loadCatalogue());
  return {
    store,
    dir,
    cleanup: async () => {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `n` devices, one beneficiary per device (one in five has a second device). */
export function insertFleet(
  store: Store,
  n: number,
  opts: { installedAt: (i: number) => number; retiredAt?: (i: number) => number | null; model?: (i: number) => string },
) {
  const db = store.sqlite;
  if (!db) throw new Error('the benchmarks run on SQLite');
  const now = Date.now();
  const ben = db.prepare(
    `insert into beneficiaries (id, alias, full_name, kind, state_code, municipality, risk_level, language, presumed_aggressors, created_at, updated_at)
     values (?, ?, ?, 'defender', ?, null, 'high', 'es', '[]', ?, ?)`,
  );
  const dev = db.prepare(
    `insert into devices (id, model_id, beneficiary_id, state_code, requested_at, installed_at, retired_at, heartbeat_interval_s, offline_after_s, on_test_until, secret_hash, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, null, null, null, 'x', ?, ?)`,
  );
  db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const state = STATES[i % STATES.length] as string;
      const benId = `b${Math.floor(i / 5) * 5 + (i % 5 === 1 ? 0 : i % 5)}`;
      if (i % 5 !== 1) ben.run(benId, `alias ${benId}`, `Name ${benId}`, state, now, now);
      const installed = opts.installedAt(i);
      dev.run(
        `d${i}`,
        opts.model?.(i) ?? (MODELS[i % MODELS.length] as string),
        benId,
        state,
        installed - 14 * 86_400_000,
        installed,
        opts.retiredAt?.(i) ?? null,
        now,
        now,
      );
    }
  })();
}

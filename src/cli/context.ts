import { loadConfig } from '../config/index.ts';
import { systemClock } from '../platform/index.ts';
import { createRepositories, loadCatalogue, migrateToLatest, openStore, type Repositories, type Store } from '../store/index.ts';

/**
 * Opens the configured database for a one-shot command (migrating it first, as `serve` does),
 * runs `work`, and always closes the store.
 */
export async function withStore<T>(work: (ctx: { store: Store; repos: Repositories }) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const store = await openStore(config.database.kind === 'sqlite' ? config.database : { kind: 'postgres', url: config.database.url });
  try {
    await migrateToLatest(store.db, store.engine);
    const repos = createRepositories(store, systemClock);
    await repos.deviceModels.upsertAll(await loadCatalogue());
    return await work({ store, repos });
  } finally {
    await store.close();
  }
}

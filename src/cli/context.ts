import { type Config, loadConfig } from '../config/index.ts';
import { systemClock } from '../platform/index.ts';
import {
  AuditCheckpoints,
  createRepositories,
  loadCatalogue,
  migrateToLatest,
  openStore,
  type Repositories,
  type Store,
} from '../store/index.ts';

/**
 * Opens the configured database for a one-shot command (migrating it first, as `serve` does),
 * runs `work`, and always closes the store.
 */
export async function withStore<T>(
  work: (ctx: { store: Store; repos: Repositories; config: Config }) => Promise<T>,
  opts: { anchor?: boolean } = {},
): Promise<T> {
  const config = loadConfig();
  const store = await openStore(config.database.kind === 'sqlite' ? config.database : { kind: 'postgres', url: config.database.url });
  try {
    await migrateToLatest(store.db, store.engine);
    const repos = createRepositories(store, systemClock);
    await repos.deviceModels.upsertAll(await loadCatalogue());
    const result = await work({ store, repos, config });
    // Issue 15: a command that wrote to the audit chain anchors it outside the database too.
    if (opts.anchor !== false)
      AuditCheckpoints.open(config.dataDir, config.audit.key, { create: true })?.write(await repos.audit.head(), systemClock.now());
    return result;
  } finally {
    await store.close();
  }
}

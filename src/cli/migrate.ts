import type { Command } from 'commander';
import { loadConfig } from '../config/index.ts';
import { migrateToLatest, openStore } from '../store/index.ts';
import { action, print } from './output.ts';

export function migrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('bring the database schema up to date')
    .action(
      action(async (_opts, cmd: Command) => {
        const config = loadConfig();
        const store = await openStore(config.database.kind === 'sqlite' ? config.database : { kind: 'postgres', url: config.database.url });
        try {
          const applied = await migrateToLatest(store.db, store.engine);
          print(
            cmd.optsWithGlobals(),
            { engine: store.engine, applied },
            applied.length ? `applied ${applied.join(', ')}` : 'database is up to date',
          );
        } finally {
          await store.close();
        }
      }),
    );
}

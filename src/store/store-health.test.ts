import { describe, expect, it } from 'vitest';
import { CentinelaError } from '../domain/errors.ts';
import { createLogger } from '../platform/index.ts';
import { openStore } from './database.ts';
import { migrateToLatest } from './migrations/index.ts';
import { classifyStoreError, StoreHealth } from './store-health.ts';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('store faults are told apart from bugs (issue 13)', () => {
  it.each([
    ['SQLite full', withCode('SQLITE_FULL', 'database or disk is full'), 'disk_full'],
    ['PostgreSQL disk_full', withCode('53100'), 'disk_full'],
    ['SQLite read-only', withCode('SQLITE_READONLY_DBMOVED'), 'read_only'],
    ['SQLite I/O', withCode('SQLITE_IOERR_WRITE'), 'io_error'],
    ['PostgreSQL admin shutdown', withCode('57P01'), 'unreachable'],
    ['PostgreSQL connection failure', withCode('08006'), 'unreachable'],
    ['refused', withCode('ECONNREFUSED'), 'unreachable'],
    ['pool words', new Error('Connection terminated unexpectedly'), 'unreachable'],
    ['our own catalogue error', new CentinelaError('CENTINELA_ERR_STORE_UNAVAILABLE', 'gone'), 'unreachable'],
    ['wrapped', new Error('outer', { cause: withCode('SQLITE_FULL') }), 'disk_full'],
  ])('%s', (_name, err, kind) => {
    expect(classifyStoreError(err)?.kind).toBe(kind);
  });

  it.each([
    ['a bug', new TypeError('x is undefined')],
    ['a constraint', withCode('SQLITE_CONSTRAINT_UNIQUE')],
    ['a PostgreSQL unique violation', withCode('23505')],
    ['not an error', 'disk full'],
  ])('%s is not a store fault', (_name, err) => {
    expect(classifyStoreError(err)).toBeUndefined();
  });

  it('logs an episode once, and its end once', async () => {
    const store = await openStore({ kind: 'sqlite', file: ':memory:' });
    await migrateToLatest(store.db, store.engine);
    const lines: { msg: string }[] = [];
    const logger = createLogger({ level: 'info', destination: { write: (l: string) => lines.push(JSON.parse(l)) } as never });
    const health = new StoreHealth({ db: store.db, engine: 'sqlite' });
    health.useLogger(logger);
    for (let i = 0; i < 5; i++) health.noteFailure(withCode('SQLITE_FULL'));
    expect(health.fault?.kind).toBe('disk_full');
    expect(await health.check(0)).toEqual({ ok: true, reason: null });
    expect(health.fault).toBeUndefined();
    expect(lines.map((l) => l.msg)).toEqual(['store cannot commit: the disk is full: the database cannot commit', 'store commits again']);
    await store.close();
  });
});

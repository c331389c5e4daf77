import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { sqliteRead } from './sqlite-read.ts';

describe('a prepared read on the raw SQLite handle', () => {
  it('can be made before its table exists: it is prepared on first use', () => {
    const db = new SQLite(':memory:');
    const read = sqliteRead(db, 'select count(*) from later', true);
    db.exec('create table later (id integer)');
    db.exec('insert into later values (1), (2)');
    expect(read?.now()?.get()).toBe(2);
  });

  it('is withheld while a transaction is open on the connection, so nothing uncommitted is read', () => {
    const db = new SQLite(':memory:');
    db.exec('create table t (id integer)');
    const read = sqliteRead(db, 'select count(*) from t', true);
    db.exec('begin');
    db.exec('insert into t values (1)');
    expect(read?.now()).toBeUndefined();
    db.exec('rollback');
    expect(read?.now()?.get()).toBe(0);
  });

  it('is absent on PostgreSQL (no raw handle)', () => {
    expect(sqliteRead(undefined, 'select 1')).toBeUndefined();
  });
});

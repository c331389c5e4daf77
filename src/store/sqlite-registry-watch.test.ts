import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteRegistryWatch, WATCHED_TABLES } from './sqlite-registry-watch.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function twoConnections() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'centinela-watch-'));
  dirs.push(dir);
  const file = path.join(dir, 'db.sqlite');
  const server = new SQLite(file);
  server.pragma('journal_mode = WAL');
  for (const t of [...WATCHED_TABLES, 'alarms']) server.exec(`create table ${t} (id text primary key, v text)`);
  return { server, cli: new SQLite(file) };
}

describe('the registry watch behind the alarm path cache', () => {
  it('notices writes of this process, writes of another process (the CLI), and a table rebuilt by a migration; not other tables', () => {
    const { server, cli } = twoConnections();
    const watch = new SqliteRegistryWatch(server);
    expect(watch.changed()).toBe(true);
    expect(watch.changed()).toBe(false);
    server.prepare("insert into alarms values ('a', 'x')").run();
    expect(watch.changed()).toBe(false);
    server.prepare("update contacts set v = 'y'").run();
    expect(watch.changed()).toBe(false); // no row changed
    server.prepare("insert into contacts values ('c', 'x')").run();
    expect(watch.changed()).toBe(true);
    server.prepare("update contacts set v = 'z' where id = 'c'").run();
    expect(watch.changed()).toBe(true);
    cli.prepare("insert into users values ('u', '+52')").run();
    expect(watch.changed()).toBe(true);
    server.exec('drop table responders; create table responders (id text primary key, v text)');
    expect(watch.changed()).toBe(true);
    expect(watch.changed()).toBe(false);
    server.prepare("insert into responders values ('r', 'x')").run();
    expect(watch.changed()).toBe(true);
    server.close();
    cli.close();
  });
});

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AuditCheckpoints, systemActor } from '../src/store/index.ts';
import { startTestCentinela } from './fixtures/centinela.ts';
import { runCli } from './fixtures/cli.ts';
import { ENGINES, type EngineName, freshStore, type TestStore } from './fixtures/databases.ts';

let db: TestStore | undefined;
let dataDir: string;
afterEach(async () => {
  await db?.cleanup();
  db = undefined;
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Thirty audited reads, with a keyed checkpoint after every tenth, as a running Centinela writes them. */
async function chainOf30(engine: EngineName) {
  db = await freshStore(engine);
  // SQLite's database lives in the data folder, beside the checkpoints; PostgreSQL's does not.
  dataDir = db.env.CENTINELA_DATA_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'centinela-audit-'));
  const anchor = AuditCheckpoints.open(dataDir, undefined, { create: true }) as AuditCheckpoints;
  for (let i = 1; i <= 30; i++) {
    await db.repos.audit.record(systemActor('test'), { action: 'read', recordType: 'beneficiary', recordId: `ben_${i}` });
    if (i % 10 === 0) anchor.write(await db.repos.audit.head(), Date.now());
  }
  const verify = () => (db as TestStore).repos.audit.verify(AuditCheckpoints.open(dataDir, undefined, { create: false })?.read());
  const env = { ...db.env, CENTINELA_DATA_DIR: dataDir };
  return { db, anchor, verify, env };
}

/** What someone with write access to the database (but not the key) can do: switch off the guard. */
async function asDatabaseOwner(t: TestStore, work: () => Promise<void>) {
  if (t.engine === 'sqlite') {
    await sql`drop trigger audit_log_no_update`.execute(t.store.db);
    await sql`drop trigger audit_log_no_delete`.execute(t.store.db);
  } else await sql`drop trigger audit_log_no_change on audit_log`.execute(t.store.db);
  await work();
}

/** The chain's link, as anyone reading the source can recompute it. */
function link(prev: string, r: Record<string, unknown>): string {
  const body = JSON.stringify([r.seq, r.at, r.actor_id, r.actor_role, r.action, r.record_type, r.record_id, r.request_id, r.detail]);
  return createHash('sha256').update(`${prev}\n${body}`).digest('hex');
}

async function rewriteAndRecompute(t: TestStore, seq: number) {
  await asDatabaseOwner(t, async () => {
    await t.store.db.updateTable('audit_log').set({ record_id: 'ben_forged' }).where('seq', '=', seq).execute();
    const rows = await t.store.db.selectFrom('audit_log').selectAll().where('seq', '>=', seq).orderBy('seq').execute();
    let prev = (
      await t.store.db
        .selectFrom('audit_log')
        .select('hash')
        .where('seq', '=', seq - 1)
        .executeTakeFirstOrThrow()
    ).hash;
    for (const r of rows) {
      const hash = link(prev, { ...r, seq: Number(r.seq), at: Number(r.at) });
      await t.store.db.updateTable('audit_log').set({ prev_hash: prev, hash }).where('seq', '=', r.seq).execute();
      prev = hash;
    }
    await t.store.db.updateTable('audit_head').set({ hash: prev }).where('id', '=', 1).execute();
  });
}

async function deleteNewest(t: TestStore, fromSeq: number) {
  await asDatabaseOwner(t, async () => {
    await t.store.db.deleteFrom('audit_log').where('seq', '>=', fromSeq).execute();
    const last = await t.store.db
      .selectFrom('audit_log')
      .select(['seq', 'hash'])
      .where('seq', '=', fromSeq - 1)
      .executeTakeFirstOrThrow();
    await t.store.db.updateTable('audit_head').set({ seq: last.seq, hash: last.hash }).where('id', '=', 1).execute();
  });
}

describe.each(ENGINES)('the audit chain anchored outside the database (%s, issue 15)', (engine) => {
  it('an intact chain verifies, with the checkpoints that vouch for it', async () => {
    const { verify, env } = await chainOf30(engine);
    expect(await verify()).toEqual({ ok: true, entries: 30, checkpoints: 3, anchoredUpTo: 30 });
    const cli = await runCli(['audit', 'verify'], env);
    expect(cli.stdout.trim()).toBe('audit chain intact: 30 entries, 3 checkpoints outside the database hold up to entry 30');
  });

  it('a rewritten entry with every later hash recomputed passes the bare chain but not the checkpoints', async () => {
    const { db: t, verify, env } = await chainOf30(engine);
    await rewriteAndRecompute(t, 15);
    expect(await t.repos.audit.verify()).toEqual({ ok: true, entries: 30 });
    const result = await verify();
    expect(result).toMatchObject({ ok: false, brokenAt: 11 });
    const cli = await runCli(['audit', 'verify'], env);
    expect(cli.code).not.toBe(0);
    expect(cli.stderr).toContain('audit chain broken at entry 11: entries 11–20 were rewritten and the chain recomputed');
  });

  it('deleting the newest 20 entries together with the head is reported from the first deleted entry', async () => {
    const { db: t, verify, env } = await chainOf30(engine);
    await deleteNewest(t, 11);
    expect(await t.repos.audit.verify()).toEqual({ ok: true, entries: 10 });
    expect(await verify()).toMatchObject({ ok: false, entries: 10, brokenAt: 11 });
    const cli = await runCli(['audit', 'verify', '--json'], env);
    expect(cli.code).not.toBe(0);
    expect(JSON.parse(cli.stdout.split('\n')[0] as string)).toMatchObject({
      ok: false,
      brokenAt: 11,
      reason: expect.stringContaining('entries 11–30 were deleted'),
    });
  });

  it('a gap in the middle names the missing entry', async () => {
    const { db: t, env } = await chainOf30(engine);
    await asDatabaseOwner(t, async () => {
      await t.store.db.deleteFrom('audit_log').where('seq', '=', 7).execute();
    });
    const cli = await runCli(['audit', 'verify'], env);
    expect(cli.stderr.trim()).toBe('centinela: audit chain broken at entry 7: entry 7 is missing');
  });

  it('a checkpoint line written without the key is refused as an edit of the checkpoint file', async () => {
    const { db: t, verify } = await chainOf30(engine);
    await deleteNewest(t, 21);
    const file = path.join(dataDir, 'audit-checkpoints.jsonl');
    // Someone who deleted the tail tries to make the checkpoints agree with it.
    const head = await t.repos.audit.head();
    fs.writeFileSync(file, `${JSON.stringify({ seq: head.seq, hash: head.hash, at: Date.now(), mac: '0'.repeat(64) })}\n`);
    expect(await verify()).toMatchObject({ ok: false, reason: expect.stringContaining('not signed with the audit key') });
  });
});

describe('the checkpoint key', () => {
  it('is never stored in the database and verifying without it refuses rather than trusting the file', async () => {
    await chainOf30('sqlite');
    const key = fs.readFileSync(path.join(dataDir, 'audit-checkpoint.key'), 'utf8').trim();
    const dump = fs.readFileSync(path.join(dataDir, 'centinela.db')).toString('latin1');
    expect(dump).not.toContain(key);
    fs.rmSync(path.join(dataDir, 'audit-checkpoint.key'));
    expect(() => AuditCheckpoints.open(dataDir, undefined, { create: false })).toThrow(/key is missing/);
  });
});

describe('a running Centinela anchors its chain', () => {
  it('writes a checkpoint periodically and a last one on shutdown, keyed with CENTINELA_AUDIT_KEY', async () => {
    const key = 'a-key-for-the-audit-checkpoints-of-this-test';
    const t = await startTestCentinela('sqlite', { env: { CENTINELA_AUDIT_KEY: key, CENTINELA_AUDIT_CHECKPOINT_S: '1' } });
    dataDir = t.env.CENTINELA_DATA_DIR as string;
    const anchor = AuditCheckpoints.open(dataDir, key, { create: false }) as AuditCheckpoints;
    await t.centinela.repos.audit.record(systemActor('test'), { action: 'read', recordType: 'beneficiary', recordId: 'ben_1' });
    const headNow = await t.centinela.repos.audit.head();
    await vi.waitFor(() => expect(anchor.read().checkpoints.map((c) => c.seq)).toContain(headNow.seq), { timeout: 10_000 });
    await t.centinela.repos.audit.record(systemActor('test'), { action: 'read', recordType: 'beneficiary', recordId: 'ben_2' });
    const last = await t.centinela.repos.audit.head();
    await t.centinela.stop();
    expect(anchor.read().checkpoints.at(-1)).toMatchObject({ seq: last.seq, hash: last.hash });
    expect(fs.existsSync(path.join(dataDir, 'audit-checkpoint.key'))).toBe(false);
  });
});

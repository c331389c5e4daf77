import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { conflict, notFound } from '../../domain/errors.ts';
import type { Gateway, GatewayCredentials } from '../../domain/gateway.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Actor } from '../actor.ts';
import { mapConstraintError, toIso } from '../rows.ts';
import type { Database } from '../schema.ts';
import { type SqliteRead, sqliteRead } from '../sqlite-read.ts';
import type { AuditLog } from './audit.ts';

/** Gateway accounts: a satellite-messaging gateway, say, that publishes for its devices. */
export class GatewayRepository {
  /** SQLite: MQTT authentication's credential read (src/store/sqlite-read.ts). */
  private readonly credentialRead: SqliteRead | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    sqlite?: SQLite.Database,
  ) {
    this.credentialRead = sqliteRead(
      sqlite,
      'select id, secret_hash, retired_at from gateways where id in (select value from json_each(?))',
    );
  }

  async list(): Promise<Gateway[]> {
    const rows = await this.db.selectFrom('gateways').selectAll().orderBy('id').execute();
    const links = await this.db.selectFrom('gateway_devices').selectAll().orderBy('device_id').execute();
    return rows.map((r) => ({
      id: r.id,
      description: r.description,
      deviceIds: links.filter((l) => l.gateway_id === r.id).map((l) => l.device_id),
      createdAt: toIso(r.created_at) as string,
      retiredAt: toIso(r.retired_at),
    }));
  }

  async require(id: string): Promise<Gateway> {
    const found = (await this.list()).find((g) => g.id === id);
    if (!found) throw notFound('gateway', id);
    return found;
  }

  /** For MQTT authentication only. */
  async credentials(id: string): Promise<GatewayCredentials | undefined> {
    const row = await this.db.selectFrom('gateways').select(['secret_hash', 'retired_at']).where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    const links = await this.db.selectFrom('gateway_devices').select('device_id').where('gateway_id', '=', id).execute();
    return { secretHash: row.secret_hash, retiredAt: row.retired_at, deviceIds: links.map((l) => l.device_id) };
  }

  /**
   * For MQTT authentication only: the credentials of those of `ids` that are gateways, in one
   * read per table (src/ingest/auth/credential-reads.ts).
   */
  async credentialsOf(ids: readonly string[]): Promise<Map<string, GatewayCredentials>> {
    const out = new Map<string, GatewayCredentials>();
    if (ids.length === 0) return out;
    type Row = { id: string; secret_hash: string; retired_at: number | null };
    // As DeviceRepository.credentialsOf: nearly every CONNECT is a device's, and the answer here nearly always "none".
    const read = this.credentialRead?.now();
    const rows: Row[] = read
      ? (read.all(JSON.stringify(ids)) as Row[])
      : await this.db.selectFrom('gateways').select(['id', 'secret_hash', 'retired_at']).where('id', 'in', ids).execute();
    if (rows.length === 0) return out;
    const links = await this.db
      .selectFrom('gateway_devices')
      .select(['gateway_id', 'device_id'])
      .where(
        'gateway_id',
        'in',
        rows.map((r) => r.id),
      )
      .orderBy('device_id')
      .execute();
    for (const r of rows)
      out.set(r.id, {
        secretHash: r.secret_hash,
        retiredAt: r.retired_at,
        deviceIds: links.filter((l) => l.gateway_id === r.id).map((l) => l.device_id),
      });
    return out;
  }

  async create(
    actor: Actor,
    input: { id: string; description?: string | undefined; deviceIds: string[] },
    secretHash: string,
  ): Promise<Gateway> {
    // One MQTT namespace: a gateway may not take a device's id (its username would be ambiguous).
    if (await this.db.selectFrom('devices').select('id').where('id', '=', input.id).executeTakeFirst()) throw conflict('device', input.id);
    const now = this.clock.now();
    try {
      await this.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('gateways')
          .values({ id: input.id, description: input.description ?? null, secret_hash: secretHash, created_at: now, retired_at: null })
          .execute();
        if (input.deviceIds.length > 0) {
          await trx
            .insertInto('gateway_devices')
            .values(input.deviceIds.map((d) => ({ gateway_id: input.id, device_id: d })))
            .execute();
        }
        await this.audit.append(trx, actor, {
          action: 'create',
          recordType: 'gateway',
          recordId: input.id,
          detail: { devices: input.deviceIds },
        });
      });
    } catch (err) {
      mapConstraintError(err, 'gateway', input.id);
    }
    return this.require(input.id);
  }

  async setDevices(actor: Actor, id: string, deviceIds: string[]): Promise<Gateway> {
    await this.require(id);
    try {
      await this.db.transaction().execute(async (trx) => {
        await trx.deleteFrom('gateway_devices').where('gateway_id', '=', id).execute();
        if (deviceIds.length > 0) {
          await trx
            .insertInto('gateway_devices')
            .values(deviceIds.map((d) => ({ gateway_id: id, device_id: d })))
            .execute();
        }
        await this.audit.append(trx, actor, { action: 'update', recordType: 'gateway', recordId: id, detail: { devices: deviceIds } });
      });
    } catch (err) {
      mapConstraintError(err, 'gateway', id);
    }
    return this.require(id);
  }

  async retire(actor: Actor, id: string): Promise<Gateway> {
    await this.db.transaction().execute(async (trx) => {
      const res = await trx.updateTable('gateways').set({ retired_at: this.clock.now() }).where('id', '=', id).executeTakeFirst();
      if (Number(res.numUpdatedRows) === 0) throw notFound('gateway', id);
      await this.audit.append(trx, actor, { action: 'retire', recordType: 'gateway', recordId: id });
    });
    return this.require(id);
  }

  async rotateSecret(actor: Actor, id: string, secretHash: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const res = await trx.updateTable('gateways').set({ secret_hash: secretHash }).where('id', '=', id).executeTakeFirst();
      if (Number(res.numUpdatedRows) === 0) throw notFound('gateway', id);
      await this.audit.append(trx, actor, { action: 'rotate_secret', recordType: 'gateway', recordId: id });
    });
  }
}

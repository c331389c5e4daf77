import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { conflict, notFound } from '../../domain/errors.ts';
import type { Device, DeviceCreate, DeviceUpdate } from '../../domain/registry.ts';
import { type ConfigDownlink, configDownlinkSchema } from '../../domain/wire.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Actor } from '../actor.ts';
import { type Checked, checkedJson, mapEach } from '../row-check.ts';
import { fromIso, mapConstraintError, toIso } from '../rows.ts';
import type { Database, DeviceTable } from '../schema.ts';
import { type SqliteRead, sqliteRead } from '../sqlite-read.ts';
import type { AuditLog } from './audit.ts';

const toDevice = (r: DeviceTable): Device => ({
  id: r.id,
  modelId: r.model_id,
  beneficiaryId: r.beneficiary_id,
  stateCode: r.state_code,
  requestedAt: toIso(r.requested_at),
  installedAt: toIso(r.installed_at),
  retiredAt: toIso(r.retired_at),
  heartbeatIntervalS: r.heartbeat_interval_s,
  offlineAfterS: r.offline_after_s,
  onTestUntil: toIso(r.on_test_until),
  createdAt: toIso(r.created_at) as string,
  hardwareId: r.hardware_id ?? null,
});

/** Ids per `in (…)` list: well under the bound parameters both engines take in one statement. */
const IN_PART = 500;

function inParts(ids: readonly string[]): string[][] {
  const parts: string[][] = [];
  for (let i = 0; i < ids.length; i += IN_PART) parts.push(ids.slice(i, i + IN_PART));
  return parts;
}

export interface DeviceFilter {
  modelId?: string | undefined;
  stateCode?: string | undefined;
  beneficiaryId?: string | undefined;
}

export class DeviceRepository {
  /** SQLite: the per-alarm `intakeView` and the CONNECTs' credential reads (src/store/sqlite-read.ts). */
  private readonly intakeRead: SqliteRead | undefined;
  private readonly credentialRead: SqliteRead | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    sqlite?: SQLite.Database,
  ) {
    this.intakeRead = sqliteRead(sqlite, 'select beneficiary_id, on_test_until, retired_at from devices where id = ?');
    // One statement for any number of ids: compiling an `in (…)` list of hundreds of ids was most
    // of a reconnecting fleet's time in the query builder (bench/restart-storm-results.md).
    this.credentialRead = sqliteRead(
      sqlite,
      'select id, secret_hash, retired_at from devices where id in (select value from json_each(?))',
    );
  }

  async list(filter: DeviceFilter = {}): Promise<Device[]> {
    let q = this.db.selectFrom('devices').selectAll().orderBy('id');
    if (filter.modelId) q = q.where('model_id', '=', filter.modelId);
    if (filter.stateCode) q = q.where('state_code', '=', filter.stateCode);
    if (filter.beneficiaryId) q = q.where('beneficiary_id', '=', filter.beneficiaryId);
    return (await q.execute()).map(toDevice);
  }

  async get(id: string): Promise<Device | undefined> {
    const row = await this.db.selectFrom('devices').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toDevice(row) : undefined;
  }

  async require(id: string): Promise<Device> {
    const device = await this.get(id);
    if (!device) throw notFound('device', id);
    return device;
  }

  /** The stored secret hash, for device authentication only. */
  async credentials(id: string): Promise<{ secretHash: string; retiredAt: number | null } | undefined> {
    const row = await this.db.selectFrom('devices').select(['secret_hash', 'retired_at']).where('id', '=', id).executeTakeFirst();
    return row ? { secretHash: row.secret_hash, retiredAt: row.retired_at } : undefined;
  }

  /**
   * The stored secret hashes of several accounts in one read, for device authentication only: a
   * fleet reconnecting after a restart is checked a batch at a time instead of a read per CONNECT
   * (src/ingest/auth/credential-reads.ts). Ids that are not devices are absent from the map.
   */
  async credentialsOf(ids: readonly string[]): Promise<Map<string, { secretHash: string; retiredAt: number | null }>> {
    const out = new Map<string, { secretHash: string; retiredAt: number | null }>();
    type Row = Pick<DeviceTable, 'id' | 'secret_hash' | 'retired_at'>;
    const read = this.credentialRead?.now();
    if (read) {
      for (const r of read.all(JSON.stringify(ids)) as Row[]) out.set(r.id, { secretHash: r.secret_hash, retiredAt: r.retired_at });
      return out;
    }
    for (const part of inParts(ids)) {
      const rows = await this.db.selectFrom('devices').select(['id', 'secret_hash', 'retired_at']).where('id', 'in', part).execute();
      for (const r of rows) out.set(r.id, { secretHash: r.secret_hash, retiredAt: r.retired_at });
    }
    return out;
  }

  /**
   * Rewrites stored secret hashes into the current format, in one transaction per batch (a fleet
   * reconnecting after a restart upgrades thousands at once). Each row changes only if it still
   * holds the hash that was verified, so a secret rotated meanwhile is never overwritten. Not
   * audited: the secret is the same, only how it is stored changes.
   */
  async upgradeSecretHashes(batch: readonly { id: string; from: string; to: string }[]): Promise<number> {
    if (batch.length === 0) return 0;
    return this.db.transaction().execute(async (trx) => {
      let changed = 0;
      for (const u of batch) {
        const res = await trx
          .updateTable('devices')
          .set({ secret_hash: u.to })
          .where('id', '=', u.id)
          .where('secret_hash', '=', u.from)
          .executeTakeFirst();
        changed += Number(res.numUpdatedRows);
      }
      return changed;
    });
  }

  async create(actor: Actor, input: DeviceCreate, secretHash: string): Promise<Device> {
    await this.refuseTakenHardwareId(input.hardwareId, input.id);
    const now = this.clock.now();
    try {
      await this.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('devices')
          .values({
            id: input.id,
            model_id: input.modelId,
            beneficiary_id: input.beneficiaryId ?? null,
            state_code: input.stateCode,
            requested_at: fromIso(input.requestedAt),
            installed_at: fromIso(input.installedAt),
            retired_at: fromIso(input.retiredAt),
            heartbeat_interval_s: input.heartbeatIntervalS ?? null,
            offline_after_s: input.offlineAfterS ?? null,
            on_test_until: null,
            hardware_id: input.hardwareId ?? null,
            secret_hash: secretHash,
            created_at: now,
            updated_at: now,
          })
          .execute();
        await this.audit.append(trx, actor, { action: 'create', recordType: 'device', recordId: input.id });
      });
    } catch (err) {
      mapConstraintError(err, 'device', input.id);
    }
    return this.require(input.id);
  }

  async update(actor: Actor, id: string, patch: DeviceUpdate): Promise<Device> {
    const set: Partial<DeviceTable> = { updated_at: this.clock.now() };
    if (patch.modelId !== undefined) set.model_id = patch.modelId;
    if (patch.beneficiaryId !== undefined) set.beneficiary_id = patch.beneficiaryId ?? null;
    if (patch.stateCode !== undefined) set.state_code = patch.stateCode;
    if (patch.requestedAt !== undefined) set.requested_at = fromIso(patch.requestedAt);
    if (patch.installedAt !== undefined) set.installed_at = fromIso(patch.installedAt);
    if (patch.retiredAt !== undefined) set.retired_at = fromIso(patch.retiredAt);
    if (patch.heartbeatIntervalS !== undefined) set.heartbeat_interval_s = patch.heartbeatIntervalS ?? null;
    if (patch.offlineAfterS !== undefined) set.offline_after_s = patch.offlineAfterS ?? null;
    if (patch.hardwareId !== undefined) {
      await this.refuseTakenHardwareId(patch.hardwareId, id);
      set.hardware_id = patch.hardwareId ?? null;
    }
    try {
      await this.db.transaction().execute(async (trx) => {
        const res = await trx.updateTable('devices').set(set).where('id', '=', id).executeTakeFirst();
        if (Number(res.numUpdatedRows) === 0) throw notFound('device', id);
        await this.audit.append(trx, actor, {
          action: 'update',
          recordType: 'device',
          recordId: id,
          detail: { fields: Object.keys(patch) },
        });
      });
    } catch (err) {
      mapConstraintError(err, 'device', id);
    }
    return this.require(id);
  }

  /** A clear conflict naming the hardware id (the unique index is the last word under a race). */
  private async refuseTakenHardwareId(hardwareId: string | null | undefined, deviceId: string): Promise<void> {
    if (!hardwareId) return;
    const holder = (await this.byHardwareId(hardwareId))?.id;
    if (holder && holder !== deviceId) throw conflict('device hardware id', hardwareId);
  }

  /** Issue 17: the device a protocol gateway's frame belongs to, by the id its protocol carries. */
  async byHardwareId(hardwareId: string): Promise<{ id: string; retiredAt: number | null } | undefined> {
    const row = await this.db.selectFrom('devices').select(['id', 'retired_at']).where('hardware_id', '=', hardwareId).executeTakeFirst();
    return row ? { id: row.id, retiredAt: row.retired_at } : undefined;
  }

  /** What intake needs per message: whose device it is and whether it is on test. */
  async intakeView(
    id: string,
  ): Promise<{ beneficiaryId: string | null; onTestUntil: number | null; retiredAt: number | null } | undefined> {
    type Row = Pick<DeviceTable, 'beneficiary_id' | 'on_test_until' | 'retired_at'>;
    const read = this.intakeRead?.now();
    let row: Row | undefined;
    if (read) row = read.get(id) as Row | undefined;
    else
      row = await this.db
        .selectFrom('devices')
        .select(['beneficiary_id', 'on_test_until', 'retired_at'])
        .where('id', '=', id)
        .executeTakeFirst();
    return row ? { beneficiaryId: row.beneficiary_id, onTestUntil: row.on_test_until, retiredAt: row.retired_at } : undefined;
  }

  /** Issue 14 §9: the `config` downlink the device has not acknowledged yet, if any. */
  async configPending(id: string): Promise<ConfigDownlink | null> {
    const row = await this.db.selectFrom('devices').select('config_pending').where('id', '=', id).executeTakeFirst();
    return checkedJson('devices', id, 'config_pending', configDownlinkSchema, row?.config_pending ?? null);
  }

  /**
   * The `config` downlinks still unacknowledged among several devices, in one read (a fleet
   * connecting at once). A value that does not fit its schema is set aside and reported, so it
   * never keeps the other devices' downlinks back.
   */
  async configPendingOf(ids: readonly string[]): Promise<Checked<{ deviceId: string; config: ConfigDownlink }>> {
    const out: Checked<{ deviceId: string; config: ConfigDownlink }> = { items: [], bad: [] };
    for (const part of inParts(ids)) {
      const rows = await this.db
        .selectFrom('devices')
        .select(['id', 'config_pending'])
        .where('id', 'in', part)
        .where('config_pending', 'is not', null)
        .execute();
      const read = mapEach(rows, (r) => ({
        deviceId: r.id,
        config: checkedJson('devices', r.id, 'config_pending', configDownlinkSchema, r.config_pending ?? null) as ConfigDownlink,
      }));
      out.items.push(...read.items);
      out.bad.push(...read.bad);
    }
    return out;
  }

  /** Records the `config` downlink as sent and awaiting acknowledgement, or (null) acknowledged. */
  async setConfigPending(id: string, config: ConfigDownlink | null): Promise<void> {
    await this.db
      .updateTable('devices')
      .set({ config_pending: config === null ? null : JSON.stringify(config), updated_at: this.clock.now() })
      .where('id', '=', id)
      .execute();
  }

  /** Puts a device on test until `until` (null returns it to service). Callers bound the span. */
  /**
   * Puts a device on test until `until` (null: back in service), audited. A renewal while the
   * device is still on test keeps the run's start, so the run's whole length can be bounded.
   */
  async setOnTest(actor: Actor, id: string, until: number | null): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const now = this.clock.now();
      const current = await trx.selectFrom('devices').select(['on_test_until', 'on_test_since']).where('id', '=', id).executeTakeFirst();
      if (!current) throw notFound('device', id);
      const running = current.on_test_until !== null && Number(current.on_test_until) > now;
      const since = until === null ? null : running && current.on_test_since != null ? Number(current.on_test_since) : now;
      await trx.updateTable('devices').set({ on_test_until: until, on_test_since: since, updated_at: now }).where('id', '=', id).execute();
      await this.audit.append(trx, actor, {
        action: until === null ? 'end_test' : 'start_test',
        recordType: 'device',
        recordId: id,
        ...(until ? { detail: { until, since } } : {}),
      });
    });
  }

  /** The test run in progress at `now`, if any: when it began and until when it lasts. */
  async testRun(id: string, now: number): Promise<{ since: number; until: number } | undefined> {
    const row = await this.db.selectFrom('devices').select(['on_test_until', 'on_test_since']).where('id', '=', id).executeTakeFirst();
    if (!row || row.on_test_until === null || Number(row.on_test_until) <= now) return undefined;
    return { since: Number(row.on_test_since ?? row.on_test_until), until: Number(row.on_test_until) };
  }

  /** Every device on test at `now` (issue 15: out of protection is visible to supervisors). */
  async onTest(now: number): Promise<{ deviceId: string; since: number | null; until: number }[]> {
    const rows = await this.db
      .selectFrom('devices')
      .select(['id', 'on_test_until', 'on_test_since'])
      .where('on_test_until', '>', now)
      .orderBy('on_test_until')
      .execute();
    return rows.map((r) => ({
      deviceId: r.id,
      since: r.on_test_since == null ? null : Number(r.on_test_since),
      until: Number(r.on_test_until),
    }));
  }

  async rotateSecret(actor: Actor, id: string, secretHash: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const res = await trx
        .updateTable('devices')
        .set({ secret_hash: secretHash, updated_at: this.clock.now() })
        .where('id', '=', id)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) === 0) throw notFound('device', id);
      await this.audit.append(trx, actor, { action: 'rotate_secret', recordType: 'device', recordId: id });
    });
  }
}

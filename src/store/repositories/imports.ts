import type { Kysely, Transaction } from 'kysely';
import type { ImportProblem } from '../../domain/import-csv.ts';
import type { ImportBatch, ImportKind, ImportRecord } from '../../domain/import-rows.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Actor } from '../actor.ts';
import { newId } from '../ids.ts';
import { fromIso } from '../rows.ts';
import type { Database } from '../schema.ts';
import type { AuditLog } from './audit.ts';

export type ImportOutcome = { ok: true; ids: string[] } | { ok: false; problems: ImportProblem[] };
export interface ImportOptions {
  dryRun: boolean;
  /** Devices only: the hashed MQTT secret of each device id, computed before the transaction. */
  secretHashes?: ReadonlyMap<string, string>;
}

type Trx = Transaction<Database>;
type TableWithId = 'beneficiaries' | 'contacts' | 'devices' | 'responders' | 'device_models';

const RECORD_TYPE: Record<ImportKind, string> = {
  beneficiaries: 'beneficiary',
  contacts: 'contact',
  devices: 'device',
  responders: 'responder',
};
/** Rows per INSERT and ids per IN list: well under SQLite's and PostgreSQL's parameter limits. */
const CHUNK = 200;

const chunks = <T>(items: T[]): T[][] =>
  Array.from({ length: Math.ceil(items.length / CHUNK) }, (_, i) => items.slice(i * CHUNK, (i + 1) * CHUNK));

/**
 * Bulk registration from a spreadsheet: all rows or none. The checks against the database run
 * in the same transaction as the writes, so a record added meanwhile cannot slip between them;
 * every created record gets its own audit entry, as one made from a form would (P6).
 */
export class ImportRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async run(actor: Actor, batch: ImportBatch, options: ImportOptions): Promise<ImportOutcome> {
    const ids = batch.records.map((r) => (r.input as { id?: string }).id ?? newId(batch.kind === 'contacts' ? 'con' : 'rsp'));
    return this.db.transaction().execute(async (trx) => {
      const problems = await this.check(trx, batch);
      if (problems.length > 0) return { ok: false, problems: problems.sort((a, b) => a.line - b.line) };
      if (options.dryRun) return { ok: true, ids: [] };
      const addressIds = await this.insert(trx, batch, ids, options);
      const recordType = RECORD_TYPE[batch.kind];
      await this.audit.appendMany(trx, actor, [
        ...ids.map((recordId) => ({ action: 'create', recordType, recordId, detail: { via: 'import' } })),
        ...addressIds.map((recordId) => ({ action: 'create', recordType: 'beneficiary_address', recordId, detail: { via: 'import' } })),
        { action: 'import', recordType, recordId: '*', detail: { count: ids.length } },
      ]);
      return { ok: true, ids };
    });
  }

  private async check(trx: Trx, batch: ImportBatch): Promise<ImportProblem[]> {
    const problems: ImportProblem[] = [];
    const records = batch.records as ImportRecord<ImportKind>[];
    const table: TableWithId = batch.kind;
    const taken = await this.existing(
      trx,
      table,
      records.map((r) => (r.input as { id?: string }).id).filter((id): id is string => !!id),
    );
    for (const { line, input } of records) {
      const id = (input as { id?: string }).id;
      if (id && taken.has(id)) {
        const message =
          batch.kind === 'devices' ? `device ${JSON.stringify(id)} is already registered` : `id ${JSON.stringify(id)} already exists`;
        problems.push({ line, column: 'id', message });
      }
    }
    if (batch.kind === 'contacts' || batch.kind === 'devices') {
      const wanted = records.map((r) => (r.input as { beneficiaryId?: string | null }).beneficiaryId).filter((id): id is string => !!id);
      const known = await this.existing(trx, 'beneficiaries', wanted);
      for (const { line, input } of records) {
        const id = (input as { beneficiaryId?: string | null }).beneficiaryId;
        if (id && !known.has(id)) problems.push({ line, column: 'beneficiaryId', message: `unknown beneficiary ${JSON.stringify(id)}` });
      }
    }
    if (batch.kind === 'devices') {
      const known = await this.existing(trx, 'device_models', [...new Set(batch.records.map((r) => r.input.modelId))]);
      for (const { line, input } of batch.records) {
        if (!known.has(input.modelId))
          problems.push({ line, column: 'modelId', message: `unknown device model ${JSON.stringify(input.modelId)}` });
      }
      problems.push(...(await this.hardwareIdClashes(trx, batch.records)));
    }
    return problems;
  }

  /** A protocol gateway finds a device by its hardware id: one device per IMEI, serial or account. */
  private async hardwareIdClashes(trx: Trx, records: ImportRecord<'devices'>[]): Promise<ImportProblem[]> {
    const problems: ImportProblem[] = [];
    const firstLine = new Map<string, number>();
    for (const { line, input } of records) {
      const hw = input.hardwareId;
      if (!hw) continue;
      const earlier = firstLine.get(hw);
      if (earlier !== undefined)
        problems.push({ line, column: 'hardwareId', message: `hardware id ${JSON.stringify(hw)} repeats line ${earlier}` });
      else firstLine.set(hw, line);
    }
    const taken = new Set<string>();
    for (const part of chunks([...firstLine.keys()])) {
      const rows = await trx.selectFrom('devices').select('hardware_id').where('hardware_id', 'in', part).execute();
      for (const row of rows) if (row.hardware_id) taken.add(row.hardware_id);
    }
    for (const { line, input } of records) {
      if (input.hardwareId && taken.has(input.hardwareId))
        problems.push({ line, column: 'hardwareId', message: `hardware id ${JSON.stringify(input.hardwareId)} is already registered` });
    }
    return problems;
  }

  /** Which of these ids the table already holds. */
  private async existing(trx: Trx, table: TableWithId, ids: string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (const part of chunks([...new Set(ids)])) {
      if (part.length === 0) continue;
      const rows = await trx.selectFrom(table).select('id').where('id', 'in', part).execute();
      for (const row of rows) found.add(row.id);
    }
    return found;
  }

  /** Inserts the batch; answers the ids of the addresses made along with people, if any. */
  private async insert(trx: Trx, batch: ImportBatch, ids: string[], options: ImportOptions): Promise<string[]> {
    const now = this.clock.now();
    const at = (i: number) => ids[i] as string;
    switch (batch.kind) {
      case 'beneficiaries': {
        const rows = batch.records.map(({ input }, i) => ({
          id: at(i),
          alias: input.alias,
          full_name: input.fullName,
          kind: input.kind,
          state_code: input.stateCode,
          municipality: input.municipality ?? null,
          risk_level: input.riskLevel,
          language: input.language,
          presumed_aggressors: JSON.stringify(input.presumedAggressors),
          created_at: now,
          updated_at: now,
        }));
        for (const part of chunks(rows)) await trx.insertInto('beneficiaries').values(part).execute();
        // The row's addresses become the person's registered addresses, in their jurisdiction.
        const addresses = batch.records.flatMap(({ input }, i) =>
          (input.addresses ?? []).map((a) => ({
            id: newId('adr'),
            beneficiary_id: at(i),
            label: a.label,
            line: a.line,
            municipality: input.municipality ?? null,
            state_code: input.stateCode,
            lat: null,
            lon: null,
            created_at: now,
          })),
        );
        for (const part of chunks(addresses)) await trx.insertInto('beneficiary_addresses').values(part).execute();
        return addresses.map((a) => a.id);
      }
      case 'contacts': {
        const rows = batch.records.map(({ input }, i) => ({
          id: at(i),
          beneficiary_id: input.beneficiaryId,
          name: input.name,
          phone: input.phone,
          relation: input.relation,
          language: input.language,
          channels: JSON.stringify(input.channels),
          priority: input.priority,
          created_at: now,
        }));
        for (const part of chunks(rows)) await trx.insertInto('contacts').values(part).execute();
        return [];
      }
      case 'devices': {
        const rows = batch.records.map(({ input }) => {
          const secretHash = options.secretHashes?.get(input.id);
          if (!secretHash) throw new Error(`import of device ${input.id} without its secret hash`);
          return {
            id: input.id,
            model_id: input.modelId,
            beneficiary_id: input.beneficiaryId ?? null,
            state_code: input.stateCode,
            requested_at: fromIso(input.requestedAt),
            installed_at: fromIso(input.installedAt),
            retired_at: fromIso(input.retiredAt),
            heartbeat_interval_s: input.heartbeatIntervalS ?? null,
            offline_after_s: input.offlineAfterS ?? null,
            hardware_id: input.hardwareId ?? null,
            on_test_until: null,
            secret_hash: secretHash,
            created_at: now,
            updated_at: now,
          };
        });
        for (const part of chunks(rows)) await trx.insertInto('devices').values(part).execute();
        return [];
      }
      case 'responders': {
        const rows = batch.records.map(({ input }, i) => ({
          id: at(i),
          name: input.name,
          kind: input.kind,
          state_code: input.stateCode,
          municipality: input.municipality ?? null,
          phone: input.phone,
          escalation_order: input.escalationOrder,
          language: input.language,
          created_at: now,
        }));
        for (const part of chunks(rows)) await trx.insertInto('responders').values(part).execute();
        return [];
      }
    }
  }
}

import { decodeCsv, type ImportProblem } from '../domain/import-csv.ts';
import { type ImportKind, parseRows } from '../domain/import-rows.ts';
import { generateCredential, hashDeviceSecret } from '../platform/secrets.ts';
import type { Actor } from './actor.ts';
import type { Repositories } from './repositories/index.ts';

/**
 * The stored "hash" of a device whose secret is issued later, at installation: not a scrypt
 * hash, so verifySecret (src/platform/secrets.ts) refuses every password until one is issued.
 */
export const UNISSUED_SECRET = 'unissued';

/** Rows echoed back by a dry run, so the person sees how the file was read before importing it. */
const PREVIEW_ROWS = 50;

export type CsvImportResult =
  | {
      ok: true;
      kind: ImportKind;
      dryRun: boolean;
      rows: number;
      /** Ids created (empty on a dry run). */
      ids: string[];
      preview: Record<string, unknown>[];
      /** Devices only: each new device's MQTT secret, shown once. */
      secrets?: { deviceId: string; secret: string }[];
    }
  | { ok: false; problems: ImportProblem[] };

/**
 * A CSV file from a spreadsheet → records, all or nothing: decode (UTF-8 only), check the
 * header and every row against the API's own schemas, then check and write in one transaction.
 * Devices get a fresh MQTT secret each (scrypt, ~30 ms apiece: most of a device import's time);
 * the hashing runs before the transaction opens so a large import never holds the database
 * while it computes. With `issueSecrets: false` they get none yet: the secret is issued from
 * the device's page when it is installed (and shown there once, with its setup QR code).
 */
export async function importCsv(
  repos: Pick<Repositories, 'imports'>,
  actor: Actor,
  kind: ImportKind,
  bytes: Uint8Array,
  options: { dryRun: boolean /** Devices: false registers them with no usable secret yet. */; issueSecrets?: boolean },
): Promise<CsvImportResult> {
  const decoded = decodeCsv(bytes);
  if (!decoded.ok) return decoded;
  const { batch, problems } = parseRows(kind, decoded.header, decoded.rows);
  if (problems.length > 0) {
    // The rows that did pass are checked against the database too, so one answer names every bad line.
    const check = batch.records.length > 0 ? await repos.imports.run(actor, batch, { dryRun: true }) : { ok: true as const };
    const all = [...problems, ...(check.ok ? [] : check.problems)].sort((a, b) => a.line - b.line);
    return { ok: false, problems: all };
  }
  const preview = batch.records.slice(0, PREVIEW_ROWS).map((r) => ({ line: r.line, ...r.input }));
  const rows = batch.records.length;
  if (options.dryRun || batch.kind !== 'devices') {
    const outcome = await repos.imports.run(actor, batch, { dryRun: options.dryRun });
    return outcome.ok ? { ok: true, kind, dryRun: options.dryRun, rows, ids: outcome.ids, preview } : outcome;
  }
  // Devices: refuse a bad file before paying for the hashes, then write with them.
  if (options.issueSecrets === false) {
    const unissued = new Map(batch.records.map((r) => [r.input.id, UNISSUED_SECRET] as const));
    const outcome = await repos.imports.run(actor, batch, { dryRun: false, secretHashes: unissued });
    return outcome.ok ? { ok: true, kind, dryRun: false, rows, ids: outcome.ids, preview } : outcome;
  }
  const check = await repos.imports.run(actor, batch, { dryRun: true });
  if (!check.ok) return check;
  const secrets = batch.records.map((r) => ({ deviceId: r.input.id, secret: generateCredential('dev') }));
  const hashes = secrets.map((s) => [s.deviceId, hashDeviceSecret(s.secret)] as const);
  const outcome = await repos.imports.run(actor, batch, { dryRun: false, secretHashes: new Map(hashes) });
  return outcome.ok ? { ok: true, kind, dryRun: false, rows, ids: outcome.ids, preview, secrets } : outcome;
}

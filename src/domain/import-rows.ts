import { z } from 'zod';
import { addressCreateSchema } from './alarm-notes.ts';
import type { CsvRow, ImportProblem } from './import-csv.ts';
import {
  type BeneficiaryCreate,
  beneficiaryCreateSchema,
  type ContactCreate,
  contactCreateSchema,
  type DeviceCreate,
  deviceCreateSchema,
  RESPONDER_KINDS,
  type ResponderCreate,
  responderCreateSchema,
} from './registry.ts';

export const IMPORT_KINDS = ['beneficiaries', 'contacts', 'devices', 'responders'] as const;
export const importKindSchema = z.enum(IMPORT_KINDS);
export type ImportKind = z.infer<typeof importKindSchema>;

/** What each kind creates, row by row, with the file line kept for error messages. */
export interface ImportInputs {
  /** A person and the addresses of their row (stored as the person's registered addresses). */
  beneficiaries: BeneficiaryCreate & { addresses?: { label: string; line: string }[] };
  contacts: ContactCreate;
  devices: DeviceCreate;
  responders: ResponderCreate;
}
export type ImportRecord<K extends ImportKind> = { line: number; input: ImportInputs[K] };
export type ImportBatch = { [K in ImportKind]: { kind: K; records: ImportRecord<K>[] } }[ImportKind];

type Cell = (text: string) => unknown;
const text: Cell = (s) => s;
/** Whole numbers stay strings when they are not, so the schema names the cell's problem. */
const integer: Cell = (s) => (/^-?\d+$/.test(s) ? Number(s) : s);
const list: Cell = (s) =>
  s
    .split(/[;|]/)
    .map((x) => x.trim())
    .filter(Boolean);

/**
 * `label: line | label: line` — one cell, several addresses (a spreadsheet has no nested rows).
 * A part without a label is called "domicilio". They take the person's state and municipality.
 */
const addresses: Cell = (s) =>
  s
    .split('|')
    .map((x) => x.trim())
    .filter(Boolean)
    .map((part) => {
      const m = /^([^:]{1,60}):\s*(.+)$/.exec(part);
      return m ? { label: (m[1] as string).trim(), line: (m[2] as string).trim() } : { label: 'domicilio', line: part };
    });

/**
 * `state_police:GRO; municipal_police:GRO:Chilpancingo; responder:rsp-1; non_state:description; unknown`.
 * Anything else is passed through as written so the schema refuses it by name.
 */
const aggressors: Cell = (s) =>
  (list(s) as string[]).map((item): Record<string, string> => {
    const [head = '', ...rest] = item.split(':').map((x) => x.trim());
    if (head === 'responder') return { type: 'responder', responderId: rest.join(':') };
    if (head === 'non_state') return rest.length ? { type: 'non_state', description: rest.join(':') } : { type: 'non_state' };
    if (head === 'unknown') return { type: 'unknown' };
    if ((RESPONDER_KINDS as readonly string[]).includes(head)) {
      const [stateCode = '', municipality] = rest;
      return { type: 'authority', responderKind: head, stateCode, ...(municipality ? { municipality } : {}) };
    }
    return { type: item };
  });

/** One address of a row, checked by the same rules as an address entered in the console. */
const rowAddress = addressCreateSchema.pick({ label: true, line: true });

interface KindSpec {
  schema: z.ZodType;
  /** Columns the kind's schema does not know, checked on their own and kept beside its output. */
  extra?: Record<string, z.ZodType>;
  required: string[];
  optional: Record<string, Cell>;
  cells: Record<string, Cell>;
}

/** Header names are the API's own field names, so a file and a form say the same thing. */
export const IMPORT_COLUMNS: Record<ImportKind, KindSpec> = {
  beneficiaries: {
    schema: beneficiaryCreateSchema,
    extra: { addresses: z.array(rowAddress).max(10) },
    required: ['id', 'alias', 'fullName', 'kind', 'stateCode', 'riskLevel'],
    optional: { municipality: text, language: text, addresses, presumedAggressors: aggressors },
    cells: { id: text, alias: text, fullName: text, kind: text, stateCode: text, riskLevel: text },
  },
  contacts: {
    schema: contactCreateSchema,
    required: ['beneficiaryId', 'name', 'phone', 'relation'],
    optional: { id: text, language: text, channels: list, priority: integer },
    cells: { beneficiaryId: text, name: text, phone: text, relation: text },
  },
  devices: {
    schema: deviceCreateSchema,
    required: ['id', 'modelId', 'stateCode'],
    optional: {
      beneficiaryId: text,
      requestedAt: text,
      installedAt: text,
      retiredAt: text,
      heartbeatIntervalS: integer,
      offlineAfterS: integer,
      hardwareId: text,
    },
    cells: { id: text, modelId: text, stateCode: text },
  },
  responders: {
    schema: responderCreateSchema,
    required: ['name', 'kind', 'stateCode', 'phone', 'escalationOrder'],
    optional: { id: text, municipality: text, language: text },
    cells: { name: text, kind: text, stateCode: text, phone: text, escalationOrder: integer },
  },
};

/** The rows that passed, and the problems of those that did not (a bad header stops all rows). */
export interface ParsedRows {
  batch: ImportBatch;
  problems: ImportProblem[];
}

/** Header check, then every row through the API's own create schema; all problems at once. */
export function parseRows(kind: ImportKind, header: string[], rows: CsvRow[]): ParsedRows {
  const spec = IMPORT_COLUMNS[kind];
  const known = new Set([...spec.required, ...Object.keys(spec.optional)]);
  const problems: ImportProblem[] = [];
  const missing = spec.required.filter((c) => !header.includes(c));
  if (missing.length > 0) problems.push({ line: 1, message: `missing column${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}` });
  for (const name of header) {
    if (!known.has(name)) {
      problems.push({ line: 1, column: name, message: `unknown column ${JSON.stringify(name)} (known: ${[...known].join(', ')})` });
    }
  }
  if (problems.length > 0) return { batch: { kind, records: [] } as ImportBatch, problems };

  const parsers = { ...spec.cells, ...spec.optional };
  const records: { line: number; input: unknown }[] = [];
  for (const row of rows) {
    const raw: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(row.cells)) {
      // An empty cell is an absent field: the schema's default or its "required" message applies.
      if (value !== '') raw[name] = (parsers[name] as Cell)(value);
    }
    const parsed = spec.schema.safeParse(raw);
    const issues = parsed.success ? [] : [...parsed.error.issues];
    const extras: Record<string, unknown> = {};
    for (const [name, schema] of Object.entries(spec.extra ?? {})) {
      if (raw[name] === undefined) continue;
      const checked = schema.safeParse(raw[name]);
      if (checked.success) extras[name] = checked.data;
      else issues.push(...checked.error.issues.map((i) => ({ ...i, path: [name, ...i.path] })));
    }
    if (issues.length > 0) {
      for (const issue of issues) {
        const column = String(issue.path[0] ?? '');
        problems.push({ line: row.line, ...(column ? { column } : {}), message: describeIssue(issue, column, raw) });
      }
      continue;
    }
    records.push({ line: row.line, input: { ...(parsed.data as object), ...extras } });
  }
  problems.push(...duplicateIds(rows));
  return { batch: { kind, records } as ImportBatch, problems };
}

function describeIssue(issue: z.core.$ZodIssue, column: string, raw: Record<string, unknown>): string {
  // An empty or absent cell: say so, rather than zod's "expected string, received undefined".
  if (issue.path.length === 1 && raw[column] === undefined) return `${column} is required`;
  const where = issue.path.length > 1 ? ` (${issue.path.slice(1).join('.')})` : '';
  return `${issue.message}${where}`;
}

/** The same id twice in one file, valid rows or not: every line after the first is named. */
function duplicateIds(rows: CsvRow[]): ImportProblem[] {
  const firstLine = new Map<string, number>();
  const problems: ImportProblem[] = [];
  for (const { line, cells } of rows) {
    const id = cells.id;
    if (!id) continue;
    const first = firstLine.get(id);
    if (first === undefined) firstLine.set(id, line);
    else problems.push({ line, column: 'id', message: `id ${JSON.stringify(id)} repeats line ${first} of this file` });
  }
  return problems;
}

import { parse } from 'csv-parse/sync';

/** One problem of an import, named by the file's line (the header is line 1) and column. */
export interface ImportProblem {
  line: number;
  column?: string;
  message: string;
}

export interface CsvRow {
  /** The line of the file where the record starts. */
  line: number;
  cells: Record<string, string>;
}

export type DecodedCsv = { ok: true; header: string[]; rows: CsvRow[] } | { ok: false; problems: ImportProblem[] };

/** Enough for the mechanism's largest spreadsheets; a bigger file is split. */
export const MAX_IMPORT_ROWS = 10_000;

const UTF16_BOMS = [
  [0xff, 0xfe],
  [0xfe, 0xff],
];

/**
 * Bytes → header and rows, refusing anything that is not UTF-8 rather than guessing: a name
 * mangled by a wrong guess (Latin-1 "Peña" read as "PeÃ±a") would be stored and never noticed.
 */
export function decodeCsv(bytes: Uint8Array): DecodedCsv {
  if (UTF16_BOMS.some(([a, b]) => bytes[0] === a && bytes[1] === b)) {
    return fail('the file is UTF-16; save it as "CSV UTF-8" and import it again');
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    const line = firstBadLine(bytes);
    return fail(`the file is not UTF-8 text (line ${line}); save it as "CSV UTF-8" and import it again`, line);
  }
  let records: string[][];
  try {
    records = parse(text, {
      relax_column_count: true,
      // Spreadsheets save blank rows as empty lines or as ",,,"; neither is a record.
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      trim: true,
    }) as string[][];
  } catch (err) {
    const e = err as { lines?: number; message?: string };
    return fail(`the file is not valid CSV: ${e.message ?? 'unreadable'}`, e.lines ?? 1);
  }
  const starts = recordStartLines(text);
  // Should the scan and the parser ever disagree (a cell of spaces in quotes), rows are named by
  // their place in the sheet instead, as a spreadsheet numbers them: never a wrong line.
  const lineOf = (i: number): number => (starts.length === records.length ? (starts[i] as number) : i + 1);
  const [header, ...body] = records;
  if (!header) return fail('the file is empty: the first line must name the columns');
  const problems: ImportProblem[] = [];
  const seen = new Set<string>();
  for (const name of header) {
    if (!name) problems.push({ line: 1, message: 'a column has no name' });
    else if (seen.has(name)) problems.push({ line: 1, column: name, message: `column ${JSON.stringify(name)} appears twice` });
    seen.add(name);
  }
  if (body.length === 0) problems.push({ line: 1, message: 'the file has a header but no rows' });
  if (body.length > MAX_IMPORT_ROWS) problems.push({ line: 1, message: `at most ${MAX_IMPORT_ROWS} rows per file; split it` });
  const rows: CsvRow[] = [];
  for (const [i, record] of body.entries()) {
    const line = lineOf(i + 1);
    if (record.length !== header.length) {
      problems.push({ line, message: `expected ${header.length} cells as in the header, found ${record.length}` });
      continue;
    }
    rows.push({ line, cells: Object.fromEntries(header.map((name, i) => [name, record[i] ?? ''])) });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, header, rows };
}

/**
 * The line each record starts on (header included), counting only line breaks outside quotes:
 * a quoted cell may hold line breaks, and csv-parse's own count is off for CRLF inside quotes.
 * Blank lines and rows of empty cells are skipped, as the parser skips them.
 */
function recordStartLines(text: string): number[] {
  const starts: number[] = [];
  let quoted = false;
  let line = 1;
  let start = 0;
  let startLine = 1;
  for (let i = 0; i <= text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (i === text.length || (!quoted && (c === '\n' || (c === '\r' && text[i + 1] !== '\n')))) {
      if (!/^[\s,"]*$/.test(text.slice(start, i))) starts.push(startLine);
      start = i + 1;
      startLine = line + 1;
    }
    if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line++;
  }
  return starts;
}

function fail(message: string, line = 1): DecodedCsv {
  return { ok: false, problems: [{ line, message }] };
}

/** The line holding the first byte that is not UTF-8, so the person can find the culprit. */
function firstBadLine(bytes: Uint8Array): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let line = 1;
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      try {
        decoder.decode(bytes.subarray(start, i));
      } catch {
        return line;
      }
      line++;
      start = i + 1;
    }
  }
  return line;
}

/**
 * Lists of records: text pasted into the bulk modal, or an uploaded CSV file.
 *
 * One record per line: `<record>` or `<record>, <territory>[; <territory>]`; blank lines and
 * `#` comments are ignored, and a header line (`record,territory`, `module,id,territory`) is
 * allowed. Every bad line is reported with its number and the reason, and the good lines are
 * kept: one typo must not throw away a 5,000-line list.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import type { ZohoModule } from '../zoho/types.js';
import { csvOptions, decodeFile, detectDelimiter } from './csv-text.js';
import { ACCEPTED_MODULES_TEXT, normalizeModule } from './modules.js';
import { ACCEPTED_RECORD_FORMS, parseRecordRef, type RecordRef, recordKey } from './ref.js';

export interface RecordListEntry {
  /** Line where the record first appears (1-based). */
  lineNo: number;
  /** Every line naming this record (more than one when duplicates were merged). */
  lineNos: number[];
  ref: RecordRef;
  /** Territories as written (names or ids, not yet resolved), duplicates removed. */
  territories: string[];
}

export interface RecordListError {
  lineNo: number;
  /** The line as given (clipped), so people can find it. */
  text: string;
  reason: string;
}

export interface RecordListDuplicate {
  lineNo: number;
  firstLineNo: number;
  ref: RecordRef;
}

export interface RecordListResult {
  /** At least one record, no bad line and within the size limit. */
  ok: boolean;
  entries: RecordListEntry[];
  errors: RecordListError[];
  duplicates: RecordListDuplicate[];
  /** Sentences for people about what was changed (merged duplicates, skipped header...). */
  notes: string[];
  /** A problem with the list as a whole (empty, too long); null when none. */
  listError: string | null;
  /** Distinct records found (may exceed maxRecords; then listError says so). */
  recordCount: number;
}

export interface RecordListOptions {
  /** Module for lines that give a bare record ID. */
  defaultModule?: ZohoModule | null;
  /** Request size limit (MAX_RECORDS_PER_REQUEST). */
  maxRecords: number;
}

export interface Row {
  lineNo: number;
  text: string;
  cells: string[];
}

interface Columns {
  record: number | null;
  module: number | null;
  id: number | null;
  territories: number[];
}

const HEADER_NAMES: ReadonlyMap<string, keyof Columns> = new Map([
  ['record', 'record'],
  ['records', 'record'],
  ['recordurl', 'record'],
  ['recordlink', 'record'],
  ['url', 'record'],
  ['link', 'record'],
  ['module', 'module'],
  ['modulename', 'module'],
  ['id', 'id'],
  ['recordid', 'id'],
  ['territory', 'territories'],
  ['territories', 'territories'],
  ['territoryname', 'territories'],
  ['territoryid', 'territories'],
]);

const MAX_NOTES = 20;

/** A pasted list, one record per line. */
export function parseRecordList(text: string, options: RecordListOptions): RecordListResult {
  const rows: Row[] = [];
  const errors: RecordListError[] = [];
  const lines = text.split(/\r\n|\n|\r/);
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const raw = (lines[i] ?? '').replace(/^\uFEFF/, '');
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const cells = splitLine(unwrapSlackLinks(trimmed));
    if (!cells.ok) {
      errors.push({ lineNo, text: clipLine(trimmed), reason: cells.reason });
      continue;
    }
    rows.push({ lineNo, text: trimmed, cells: cells.cells });
  }
  return collect(rows, errors, options);
}

/**
 * An uploaded CSV file: columns `record[,territory]` or `module,id[,territory]`, with or
 * without a header. Quoted fields may span lines in a well-formed file; when the file has a
 * broken line, it is read line by line instead so the other lines survive.
 */
export function parseRecordCsv(content: string | Uint8Array, options: RecordListOptions): RecordListResult {
  // One line ending everywhere so csv-parse's line counter matches the lines people see.
  const text = (typeof content === 'string' ? content : decodeFile(content))
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n');
  const delimiter = detectDelimiter(text);
  let parsed: Array<{ info: { lines: number }; record: string[] }>;
  try {
    parsed = parseCsv(text, csvOptions(delimiter)) as unknown as Array<{
      info: { lines: number };
      record: string[];
    }>;
  } catch {
    return parseLineByLine(text, delimiter, options);
  }
  const lines = text.split(/\r\n|\n|\r/);
  const rows: Row[] = [];
  for (const { info, record } of parsed) {
    const cells = record.map((c) => unwrapSlackLinks(c.trim()));
    if (cells.every((c) => c === '')) continue;
    // info.lines is the record's last line; a quoted field may span several.
    const lineNo = info.lines - record.reduce((n, c) => n + (c.match(/\n/g)?.length ?? 0), 0);
    rows.push({ lineNo, text: (lines[lineNo - 1] ?? cells.join(delimiter)).trim(), cells });
  }
  return collect(rows, [], options);
}

function parseLineByLine(text: string, delimiter: string, options: RecordListOptions): RecordListResult {
  const rows: Row[] = [];
  const errors: RecordListError[] = [];
  const lines = text.split(/\r\n|\n|\r/);
  for (let i = 0; i < lines.length; i++) {
    const trimmed = (lines[i] ?? '').trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const cells = splitLine(unwrapSlackLinks(trimmed), delimiter);
    if (!cells.ok) errors.push({ lineNo: i + 1, text: clipLine(trimmed), reason: cells.reason });
    else rows.push({ lineNo: i + 1, text: trimmed, cells: cells.cells });
  }
  return collect(rows, errors, options);
}

/** Rows read between two pauses of `collectSteps` (the async reader yields to the event loop there). */
export const ROWS_PER_STEP = 500;

export function collect(
  rows: Row[],
  errors: RecordListError[],
  options: RecordListOptions,
): RecordListResult {
  const steps = collectSteps(rows, errors, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** `collect` as a generator that pauses every ROWS_PER_STEP rows (csv-reader.ts drives it asynchronously). */
export function* collectSteps(
  rows: Row[],
  errors: RecordListError[],
  options: RecordListOptions,
): Generator<void, RecordListResult, void> {
  const notes: string[] = [];
  const byKey = new Map<string, RecordListEntry>();
  const duplicates: RecordListDuplicate[] = [];

  let columns: Columns | null = null;
  let start = 0;
  const first = rows[0];
  if (first) {
    columns = headerColumns(first.cells);
    if (columns) start = 1;
  }

  for (let r = start; r < rows.length; r++) {
    if (r % ROWS_PER_STEP === ROWS_PER_STEP - 1) yield;
    const row = rows[r]!;
    const read = readRow(row, columns, options.defaultModule ?? null);
    if (!read.ok) {
      const header = r === 0 && row.cells.every((c) => /^[\p{L} _-]*$/u.test(c.trim()));
      const reason = header
        ? 'This looks like a header, but its columns are not understood: name them record,territory or module,id,territory.'
        : read.reason;
      errors.push({ lineNo: row.lineNo, text: clipLine(row.text), reason });
      continue;
    }
    const key = recordKey(read.ref);
    const seen = byKey.get(key);
    if (seen) {
      seen.lineNos.push(row.lineNo);
      seen.territories = unionTerritories(seen.territories, read.territories);
      duplicates.push({ lineNo: row.lineNo, firstLineNo: seen.lineNo, ref: read.ref });
      continue;
    }
    byKey.set(key, {
      lineNo: row.lineNo,
      lineNos: [row.lineNo],
      ref: read.ref,
      territories: unionTerritories([], read.territories),
    });
  }

  for (const d of duplicates.slice(0, MAX_NOTES)) {
    notes.push(
      `Line ${d.lineNo} repeats ${recordKey(d.ref)} from line ${d.firstLineNo}; the two were merged and their territories combined.`,
    );
  }
  if (duplicates.length > MAX_NOTES) {
    notes.push(`${duplicates.length - MAX_NOTES} more repeated lines were merged the same way.`);
  }

  errors.sort((a, b) => a.lineNo - b.lineNo);
  const entries = [...byKey.values()];
  let listError: string | null = null;
  if (entries.length > options.maxRecords) {
    listError =
      `The list has ${fmt(entries.length)} records, but a request can hold at most ${fmt(options.maxRecords)}. ` +
      'Split it into smaller lists.';
  } else if (entries.length === 0 && errors.length === 0) {
    listError = `The list is empty. Put one record per line: ${ACCEPTED_RECORD_FORMS}, optionally followed by ", <territory>".`;
  } else if (entries.length === 0) {
    listError = `None of the ${fmt(errors.length)} lines is a record; see the reasons per line.`;
  }

  return {
    ok: listError === null && errors.length === 0,
    entries,
    errors,
    duplicates,
    notes,
    listError,
    recordCount: entries.length,
  };
}

type RowRead = { ok: true; ref: RecordRef; territories: string[] } | { ok: false; reason: string };

function readRow(row: Row, columns: Columns | null, defaultModule: ZohoModule | null): RowRead {
  const cell = (i: number | null) => (i === null ? '' : (row.cells[i] ?? '').trim());

  if (columns) {
    const territories = columns.territories.flatMap((i) => splitTerritories(cell(i)));
    if (columns.module !== null && columns.id !== null) {
      return fromModuleAndId(cell(columns.module), cell(columns.id), territories, defaultModule);
    }
    const recordText = columns.record !== null ? cell(columns.record) : cell(columns.id);
    return fromRecord(recordText, territories, defaultModule);
  }

  // No header: `module,id[,territory]` when the first two cells look like that, else `record[,territory...]`.
  const [c0 = '', c1 = '', ...rest] = row.cells.map((c) => c.trim());
  if (row.cells.length >= 2 && normalizeModule(c0) && /^(zcrm_)?\d+$/i.test(c1)) {
    return fromModuleAndId(c0, c1, rest.flatMap(splitTerritories), defaultModule);
  }
  return fromRecord(c0, [c1, ...rest].flatMap(splitTerritories), defaultModule);
}

function fromModuleAndId(
  moduleText: string,
  idText: string,
  territories: string[],
  defaultModule: ZohoModule | null,
): RowRead {
  if (moduleText === '' && idText === '') return { ok: false, reason: 'The line has no record.' };
  const module = moduleText === '' ? defaultModule : normalizeModule(moduleText);
  if (!module) {
    return {
      ok: false,
      reason:
        moduleText === ''
          ? 'The module column is empty; fill it in or pick a default module.'
          : `"${moduleText}" is not a module with territories: use ${ACCEPTED_MODULES_TEXT}.`,
    };
  }
  return fromRecord(idText, territories, module);
}

function fromRecord(recordText: string, territories: string[], defaultModule: ZohoModule | null): RowRead {
  if (recordText === '') {
    return {
      ok: false,
      reason: `The line has no record before the comma. Start it with ${ACCEPTED_RECORD_FORMS}.`,
    };
  }
  const parsed = parseRecordRef(recordText, { defaultModule });
  if (!parsed.ok) return parsed;
  return { ok: true, ref: parsed.ref, territories };
}

function headerColumns(cells: string[]): Columns | null {
  const columns: Columns = { record: null, module: null, id: null, territories: [] };
  let known = 0;
  cells.forEach((c, i) => {
    const name = c
      .trim()
      .toLowerCase()
      .replace(/[\s_-]+/g, '');
    const role = HEADER_NAMES.get(name);
    if (!role) return;
    known++;
    if (role === 'territories') columns.territories.push(i);
    else if (columns[role] === null) columns[role] = i;
  });
  const nonEmpty = cells.filter((c) => c.trim() !== '').length;
  // A header names only known columns and says where the record is.
  if (known === 0 || known !== nonEmpty) return null;
  if (columns.record === null && columns.id === null) return null;
  return columns;
}

type Split = { ok: true; cells: string[] } | { ok: false; reason: string };

/** Splits one line into cells: commas (CSV quoting respected), else tabs (spreadsheet paste), else `;`. */
export function splitLine(line: string, delimiter?: string): Split {
  const sep = delimiter ?? (line.includes(',') ? ',' : line.includes('\t') ? '\t' : null);
  if (sep === null) {
    // `Leads/1; US West` — no comma, so the first `;` separates the record from its territories.
    const i = line.indexOf(';');
    return { ok: true, cells: i < 0 ? [line] : [line.slice(0, i), line.slice(i + 1)] };
  }
  if (!line.includes('"')) return { ok: true, cells: line.split(sep).map((c) => c.trim()) };
  try {
    const rows = parseCsv(line, { delimiter: sep, relax_quotes: true, relax_column_count: true, trim: true });
    return { ok: true, cells: rows[0] ?? [] };
  } catch {
    return {
      ok: false,
      reason: 'The line has unbalanced quotes. Quote a whole field ("US West; EMEA") or leave quotes out.',
    };
  }
}

function splitTerritories(cell: string): string[] {
  return cell
    .split(';')
    .map((t) => t.trim().replace(/\s+/g, ' '))
    .filter((t) => t !== '');
}

function unionTerritories(existing: string[], more: string[]): string[] {
  const out = [...existing];
  const seen = new Set(existing.map((t) => t.toLowerCase()));
  for (const t of more) {
    const k = t.toLowerCase();
    if (!seen.has(k)) {
      seen.add(k);
      out.push(t);
    }
  }
  return out;
}

export function unwrapSlackLinks(text: string): string {
  return text.replace(/<((?:https?|mailto):[^|>]+)(?:\|[^>]*)?>/gi, '$1');
}

export function clipLine(s: string): string {
  return s.length > 120 ? `${s.slice(0, 119)}…` : s;
}

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}

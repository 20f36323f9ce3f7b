/**
 * An uploaded CSV read without holding the event loop (issue 11 item 3): the same rules as
 * `parseRecordCsv` (list.ts), but the text goes to csv-parse in slices with a yield between
 * them, and a file that is mostly not records stops being read after MAX_BAD_LINES bad lines.
 * A 5 MB file of garbage is answered in seconds while /healthz and other requests go on.
 */
import { Parser } from 'csv-parse';
import { csvOptions, decodeFile, detectDelimiter } from './csv-text.js';
import {
  clipLine,
  collectSteps,
  type RecordListError,
  type RecordListOptions,
  type RecordListResult,
  type Row,
  splitLine,
  unwrapSlackLinks,
} from './list.js';

/** Characters handed to the parser between two yields (cut at a line end). */
const SLICE_CHARS = 64 * 1024;
/** Lines handled between two yields when reading line by line. */
const LINES_PER_YIELD = 500;
/** Past this many bad lines the file is not a list of records: stop reading it. */
export const MAX_BAD_LINES = 1_000;

export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export async function readRecordCsv(
  content: string | Uint8Array,
  options: RecordListOptions,
): Promise<RecordListResult> {
  const text = (typeof content === 'string' ? content : decodeFile(content))
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n');
  await yieldToEventLoop();
  const delimiter = detectDelimiter(text);
  const lines = text.split('\n');
  // Each parsed record becomes a row as it comes: csv-parse's records (with their info objects)
  // die young instead of all 10,000 living until the file is read (issue 13).
  const rows: Row[] = [];
  const ok = await parseInSlices(text, delimiter, ({ info, record }) => {
    const cells = record.map((c) => unwrapSlackLinks(c.trim()));
    if (cells.every((c) => c === '')) return;
    // info.lines is the record's last line; a quoted field may span several.
    const lineNo = info.lines - record.reduce((k, c) => k + (c.match(/\n/g)?.length ?? 0), 0);
    rows.push({ lineNo, text: (lines[lineNo - 1] ?? cells.join(delimiter)).trim(), cells });
  });
  if (!ok) return lineByLine(text, delimiter, options);
  await yieldToEventLoop();
  return capped(await collectAsync(rows, [], options));
}

type ParsedRecord = { info: { lines: number }; record: string[] };

/** csv-parse fed slice by slice, each record handed to `onRecord`; false when the file is not well-formed CSV. */
function parseInSlices(
  text: string,
  delimiter: string,
  onRecord: (r: ParsedRecord) => void,
): Promise<boolean> {
  return new Promise((resolve) => {
    let failed = false;
    const parser = new Parser(csvOptions(delimiter));
    parser.on('data', onRecord);
    parser.on('error', () => {
      failed = true;
      resolve(false);
    });
    parser.on('end', () => {
      if (!failed) resolve(true);
    });
    void (async () => {
      let start = 0;
      while (start < text.length && !failed) {
        let end = Math.min(text.length, start + SLICE_CHARS);
        if (end < text.length) {
          const nl = text.indexOf('\n', end);
          end = nl < 0 ? text.length : nl + 1;
        }
        parser.write(text.slice(start, end));
        start = end;
        await yieldToEventLoop();
      }
      if (!failed) parser.end();
    })();
  });
}

/** A broken file: line by line so the good lines survive, stopping at MAX_BAD_LINES. */
async function lineByLine(
  text: string,
  delimiter: string,
  options: RecordListOptions,
): Promise<RecordListResult> {
  const rows: Row[] = [];
  const errors: RecordListError[] = [];
  const lines = text.split('\n');
  let stoppedAt: number | null = null;
  for (let i = 0; i < lines.length; i++) {
    if (i % LINES_PER_YIELD === LINES_PER_YIELD - 1) await yieldToEventLoop();
    // Past this the list is either too many bad lines or too long: no need to read on.
    if (errors.length >= MAX_BAD_LINES || rows.length > options.maxRecords + MAX_BAD_LINES) {
      stoppedAt = i + 1;
      break;
    }
    const trimmed = (lines[i] ?? '').trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const cells = splitLine(unwrapSlackLinks(trimmed), delimiter);
    if (!cells.ok) errors.push({ lineNo: i + 1, text: clipLine(trimmed), reason: cells.reason });
    else rows.push({ lineNo: i + 1, text: trimmed, cells: cells.cells });
  }
  await yieldToEventLoop();
  return capped(await collectAsync(rows, errors, options), stoppedAt);
}

async function collectAsync(
  rows: Row[],
  errors: RecordListError[],
  options: RecordListOptions,
): Promise<RecordListResult> {
  const steps = collectSteps(rows, errors, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await yieldToEventLoop();
  }
}

/** Too many bad lines: keep the first ones and say why the rest was not read. */
function capped(result: RecordListResult, stoppedAt: number | null = null): RecordListResult {
  if (result.errors.length < MAX_BAD_LINES && stoppedAt === null) return result;
  const errors = result.errors.slice(0, MAX_BAD_LINES);
  const where = stoppedAt !== null ? ` Reading stopped at line ${stoppedAt.toLocaleString('en-US')}.` : '';
  return {
    ...result,
    ok: false,
    errors,
    listError: `More than ${MAX_BAD_LINES.toLocaleString('en-US')} lines of this file are not records: is it the right file?${where}`,
  };
}

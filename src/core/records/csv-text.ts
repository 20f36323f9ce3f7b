/** The text of an uploaded file: its encoding and its delimiter (list.ts, csv-reader.ts). */

/**
 * Spreadsheet exports come as UTF-8 (with or without BOM), UTF-16 ("Unicode text" in Excel)
 * or Windows-1252 (Excel's plain "CSV" on Windows): decode each so accented names survive.
 */
export function decodeFile(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

export function detectDelimiter(text: string): string {
  const first = text.split(/\r\n|\n|\r/).find((l) => l.trim() !== '' && !l.trim().startsWith('#')) ?? '';
  if (first.includes(',')) return ',';
  if (first.includes('\t')) return '\t';
  // Spreadsheets in comma-decimal locales export `;`-separated CSV.
  if (first.includes(';')) return ';';
  return ',';
}

/** How a pasted or attached list is read as CSV (the whole-text and the sliced readers alike). */
export function csvOptions(delimiter: string) {
  return {
    delimiter,
    info: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    trim: true,
    comment: '#',
    // `#` inside a URL is not a comment; only whole lines are.
    comment_no_infix: true,
  } as const;
}

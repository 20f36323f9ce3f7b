import { describe, expect, it } from 'vitest';
import { parseRecordCsv, parseRecordList } from '../../../src/core/records/index.js';

const A = '3652397000001234567';
const B = '3652397000001234568';
const C = '3652397000009999999';
const opts = { maxRecords: 10_000 };

describe('parseRecordList', () => {
  it('reads records with and without territories, skipping blanks, comments and the header', () => {
    const text = [
      'record,territory',
      '',
      '# west coast accounts',
      `Leads/${A}`,
      `Deals/${B}, US West`,
      `https://crm.zoho.com/crm/org1/tab/Accounts/${C}, US West; EMEA`,
      '   ',
    ].join('\n');
    const r = parseRecordList(text, opts);
    expect(r.ok).toBe(true);
    expect(r.errors).toEqual([]);
    expect(r.entries).toEqual([
      { lineNo: 4, lineNos: [4], ref: { module: 'Leads', recordId: A }, territories: [] },
      { lineNo: 5, lineNos: [5], ref: { module: 'Deals', recordId: B }, territories: ['US West'] },
      { lineNo: 6, lineNos: [6], ref: { module: 'Accounts', recordId: C }, territories: ['US West', 'EMEA'] },
    ]);
  });

  it('reports every bad line with its number and keeps the good ones', () => {
    const text = [
      `Leads/${A}`,
      'garbage here',
      `Tasks/${A}`,
      `Leads/123`,
      `, US West`,
      `Deals/${B},"US West`,
      `Contacts/${C}`,
    ].join('\r\n');
    const r = parseRecordList(text, opts);
    expect(r.ok).toBe(false);
    expect(r.listError).toBeNull();
    expect(r.entries.map((e) => e.ref.recordId)).toEqual([A, C]);
    expect(r.errors.map((e) => e.lineNo)).toEqual([2, 3, 4, 5, 6]);
    expect(r.errors[0]).toMatchObject({
      text: 'garbage here',
      reason: expect.stringMatching(/not a record/),
    });
    expect(r.errors[1]!.reason).toMatch(/"Tasks" is not a module/);
    expect(r.errors[2]!.reason).toMatch(/3 digits/);
    expect(r.errors[3]!.reason).toMatch(/no record before the comma/);
    expect(r.errors[4]!.reason).toMatch(/unbalanced quotes/);
  });

  it('respects CSV quoting', () => {
    const r = parseRecordList(`"Leads/${A}","Americas, North; EMEA"\n"Deals/${B}",'x'`, opts);
    expect(r.entries[0]!.territories).toEqual(['Americas, North', 'EMEA']);
    expect(r.entries[1]!.territories).toEqual(["'x'"]);
  });

  it('accepts Slack-wrapped links whose label contains commas', () => {
    const r = parseRecordList(`<https://crm.zoho.com/crm/org1/tab/Leads/${A}|Acme, Inc>, US West`, opts);
    expect(r.errors).toEqual([]);
    expect(r.entries[0]).toMatchObject({ ref: { module: 'Leads', recordId: A }, territories: ['US West'] });
  });

  it('accepts tab-separated lines pasted from a spreadsheet and `;` after the record', () => {
    const r = parseRecordList(`Leads/${A}\tUS West\nDeals/${B}; EMEA`, opts);
    expect(r.errors).toEqual([]);
    expect(r.entries.map((e) => e.territories)).toEqual([['US West'], ['EMEA']]);
  });

  it('accepts module,id[,territory] lines', () => {
    const r = parseRecordList(`module,id,territory\nDeals,${A},US West\nlead,${B}`, opts);
    expect(r.errors).toEqual([]);
    expect(r.entries.map((e) => [e.ref.module, e.ref.recordId, e.territories])).toEqual([
      ['Deals', A, ['US West']],
      ['Leads', B, []],
    ]);
  });

  it('uses the default module for bare ids and refuses them without one', () => {
    expect(parseRecordList(A, { ...opts, defaultModule: 'Contacts' }).entries[0]!.ref).toEqual({
      module: 'Contacts',
      recordId: A,
    });
    const r = parseRecordList(A, opts);
    expect(r.errors[0]!.reason).toMatch(/bare ID/);
  });

  it('merges duplicate records, unioning territories case-insensitively, with a note', () => {
    const text = [
      `Leads/${A}, US West`,
      `Deals/${B}`,
      `leads/${A}, us west; EMEA`,
      `https://crm.zoho.com/crm/tab/Leads/${A}, APAC`,
    ].join('\n');
    const r = parseRecordList(text, opts);
    expect(r.ok).toBe(true);
    expect(r.entries).toHaveLength(2);
    expect(r.entries[0]).toEqual({
      lineNo: 1,
      lineNos: [1, 3, 4],
      ref: { module: 'Leads', recordId: A },
      territories: ['US West', 'EMEA', 'APAC'],
    });
    expect(r.duplicates).toEqual([
      { lineNo: 3, firstLineNo: 1, ref: { module: 'Leads', recordId: A } },
      { lineNo: 4, firstLineNo: 1, ref: { module: 'Leads', recordId: A } },
    ]);
    expect(r.notes[0]).toMatch(/Line 3 repeats Leads\/3652397000001234567 from line 1.*merged/);
  });

  it('keeps the same id in different modules apart', () => {
    const r = parseRecordList(`Leads/${A}\nContacts/${A}`, opts);
    expect(r.entries).toHaveLength(2);
  });

  it('enforces the size limit with the limit and the count', () => {
    const text = [A, B, C].map((id) => `Leads/${id}`).join('\n');
    const r = parseRecordList(text, { maxRecords: 2 });
    expect(r.ok).toBe(false);
    expect(r.recordCount).toBe(3);
    expect(r.listError).toBe(
      'The list has 3 records, but a request can hold at most 2. Split it into smaller lists.',
    );
  });

  it('counts merged duplicates once against the limit', () => {
    const r = parseRecordList(`Leads/${A}\nLeads/${A}`, { maxRecords: 1 });
    expect(r.ok).toBe(true);
  });

  it('reports an empty list and an all-garbage list', () => {
    expect(parseRecordList('\n# nothing\n', opts).listError).toMatch(/empty/);
    expect(parseRecordList('record,territory\n', opts).listError).toMatch(/empty/);
    const g = parseRecordList('foo\nbar', opts);
    expect(g.listError).toMatch(/None of the 2 lines is a record/);
    expect(g.ok).toBe(false);
  });

  it('keeps unicode territory names intact', () => {
    const r = parseRecordList(`Leads/${A}, São Paulo; Zürich;  東京  ; Ελλάδα`, opts);
    expect(r.entries[0]!.territories).toEqual(['São Paulo', 'Zürich', '東京', 'Ελλάδα']);
  });

  it('handles a 10,000-line paste with garbage mixed in', () => {
    const lines: string[] = ['record,territory'];
    for (let i = 0; i < 10_000; i++) {
      if (i % 1000 === 999) lines.push(`garbage line ${i}`);
      else lines.push(`Leads/${String(3652397000000000000n + BigInt(i))}, Territory ${i % 7}`);
    }
    const r = parseRecordList(lines.join('\n'), opts);
    expect(r.entries).toHaveLength(9_990);
    expect(r.errors).toHaveLength(10);
    expect(r.errors[0]!.lineNo).toBe(1001);
    expect(r.entries[9_989]!.ref.recordId).toBe(String(3652397000000000000n + 9_998n));
    expect(r.listError).toBeNull();
  });

  it('rejects an oversized 10,001-record paste with the limit', () => {
    const lines = Array.from(
      { length: 10_001 },
      (_, i) => `Deals/${String(3652397000000000000n + BigInt(i))}`,
    );
    const r = parseRecordList(lines.join('\n'), opts);
    expect(r.recordCount).toBe(10_001);
    expect(r.listError).toMatch(/10,001 records.*at most 10,000/);
  });

  it('caps merge notes and summarises the rest', () => {
    const lines = Array.from({ length: 30 }, () => `Leads/${A}`);
    const r = parseRecordList(lines.join('\n'), opts);
    expect(r.duplicates).toHaveLength(29);
    expect(r.notes).toHaveLength(21);
    expect(r.notes[20]).toBe('9 more repeated lines were merged the same way.');
  });
});

describe('parseRecordCsv', () => {
  it('reads record,territory with a header and a BOM', () => {
    const csv = `\uFEFFrecord,territory\nLeads/${A},US West\r\n"Deals/${B}","EMEA"\n`;
    const r = parseRecordCsv(csv, opts);
    expect(r.ok).toBe(true);
    expect(r.entries.map((e) => [e.lineNo, e.ref.module, e.ref.recordId, e.territories])).toEqual([
      [2, 'Leads', A, ['US West']],
      [3, 'Deals', B, ['EMEA']],
    ]);
  });

  it('reads module,id,territory with the header in any order', () => {
    const csv = `Territory,Record ID,Module\nUS West,${A},Potentials\n,${B},Contacts\n`;
    const r = parseRecordCsv(csv, opts);
    expect(r.errors).toEqual([]);
    expect(r.entries.map((e) => [e.ref.module, e.ref.recordId, e.territories])).toEqual([
      ['Deals', A, ['US West']],
      ['Contacts', B, []],
    ]);
  });

  it('reads module,id rows without a header', () => {
    const r = parseRecordCsv(`Leads,${A},APAC\nDeals,${B}\n`, opts);
    expect(r.entries.map((e) => [e.ref.module, e.territories])).toEqual([
      ['Leads', ['APAC']],
      ['Deals', []],
    ]);
  });

  it('takes a quoted territory list spanning commas and a quoted newline', () => {
    const r = parseRecordCsv(
      `record,territory\nLeads/${A},"Americas, North; EMEA"\nLeads/${B},"multi\nline"\n`,
      opts,
    );
    expect(r.entries[0]!.territories).toEqual(['Americas, North', 'EMEA']);
    expect(r.entries[1]!.territories).toEqual(['multi line']);
    expect(r.entries[1]!.lineNo).toBe(3);
  });

  it('treats # inside a URL as part of the URL, and # lines as comments', () => {
    const r = parseRecordCsv(
      `# exported\nhttps://crm.zoho.com/crm/org1/tab/Leads/${A}#notes,US West\n`,
      opts,
    );
    expect(r.errors).toEqual([]);
    expect(r.entries[0]).toMatchObject({ lineNo: 2, ref: { recordId: A }, territories: ['US West'] });
  });

  it('reads semicolon-separated CSV from comma-decimal locales', () => {
    const r = parseRecordCsv(`module;id;territory\nDeals;${A};US West\n`, opts);
    expect(r.entries[0]).toMatchObject({ ref: { module: 'Deals', recordId: A }, territories: ['US West'] });
  });

  it('falls back to line by line when a line is broken, keeping the others', () => {
    const csv = `record,territory\nLeads/${A},US West\nDeals/${B},"bad"quote\nContacts/${C},EMEA\n`;
    const r = parseRecordCsv(csv, opts);
    expect(r.entries.map((e) => e.ref.recordId)).toEqual([A, C]);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ lineNo: 3, reason: expect.stringMatching(/quotes/) });
  });

  it('explains a header it does not understand', () => {
    const r = parseRecordCsv(`Deal Name,Stage,Owner\nLeads/${A}\n`, opts);
    expect(r.errors).toEqual([
      {
        lineNo: 1,
        text: 'Deal Name,Stage,Owner',
        reason:
          'This looks like a header, but its columns are not understood: name them record,territory or module,id,territory.',
      },
    ]);
    expect(r.entries).toHaveLength(1);
  });

  it('reports bad module values and empty module cells', () => {
    const r = parseRecordCsv(`module,id\nTasks,${A}\n,${B}\n`, opts);
    expect(r.errors.map((e) => [e.lineNo, e.reason])).toEqual([
      [2, expect.stringMatching(/"Tasks" is not a module/)],
      [3, expect.stringMatching(/module column is empty/)],
    ]);
    const withDefault = parseRecordCsv(`module,id\n,${B}\n`, { ...opts, defaultModule: 'Leads' });
    expect(withDefault.entries[0]!.ref).toEqual({ module: 'Leads', recordId: B });
  });

  it('decodes UTF-8, UTF-16 and Windows-1252 files', () => {
    const csv = `record,territory\nLeads/${A},São Paulo\n`;
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv, 'utf16le')]);
    const cp1252 = Buffer.from(csv, 'latin1');
    for (const file of [Buffer.from(csv, 'utf8'), Buffer.from(`\uFEFF${csv}`, 'utf8'), utf16, cp1252]) {
      const r = parseRecordCsv(file, opts);
      expect(r.errors).toEqual([]);
      expect(r.entries[0]!.territories).toEqual(['São Paulo']);
    }
  });

  it('reads a tab-separated UTF-16 export', () => {
    const tsv = `module\tid\tterritory\r\nDeals\t${A}\tZürich\r\n`;
    const r = parseRecordCsv(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(tsv, 'utf16le')]), opts);
    expect(r.entries[0]).toMatchObject({
      lineNo: 2,
      ref: { module: 'Deals', recordId: A },
      territories: ['Zürich'],
    });
  });

  it('keeps 19-digit ids exact from a Buffer', () => {
    const r = parseRecordCsv(Buffer.from(`Leads,9223372036854775807\n`), opts);
    expect(r.entries[0]!.ref.recordId).toBe('9223372036854775807');
  });

  it('enforces the size limit', () => {
    const r = parseRecordCsv(`Leads/${A}\nLeads/${B}\nLeads/${C}\n`, { maxRecords: 2 });
    expect(r.listError).toMatch(/3 records.*at most 2/);
  });
});

describe('pathological input', () => {
  it('handles very long lines of spaces, dots and brackets without hanging', () => {
    const lines = [
      `a${' '.repeat(50_000)}b`,
      `Leads${' '.repeat(50_000)}/x`,
      `${'a.'.repeat(20_000)}!`,
      `<${'h'.repeat(50_000)}`,
      `https://crm.zoho.com/${'tab/'.repeat(10_000)}`,
      `Leads/${A}${' '.repeat(50_000)}, US West`,
    ];
    const r = parseRecordList(lines.join('\n'), opts);
    expect(r.errors.map((e) => e.lineNo)).toEqual([1, 2, 3, 4, 5]);
    for (const e of r.errors) expect(e.text.length).toBeLessThanOrEqual(120);
    expect(r.entries).toEqual([
      { lineNo: 6, lineNos: [6], ref: { module: 'Leads', recordId: A }, territories: ['US West'] },
    ]);
  });

  it('survives control characters and NUL bytes', () => {
    const r = parseRecordList(`Leads/${A}\u0000\nDeals/${B}, US\u0007West\n\u0000\u0001`, opts);
    expect(r.entries.map((e) => e.ref.recordId)).toEqual([B]);
    expect(r.errors.map((e) => e.lineNo)).toEqual([1, 3]);
  });
});

import { describe, expect, it } from 'vitest';
import {
  checkRecordId,
  normalizeModule,
  parseRecordRef,
  recordKey,
  recordWebUrl,
} from '../../../src/core/records/index.js';
import { DATA_CENTRE_CODES } from '../../../src/core/zoho/dc.js';

const ID = '3652397000001234567'; // 19 digits, > 2^53
const ID18 = '554023000003635023';

function ok(input: string, opts?: Parameters<typeof parseRecordRef>[1]) {
  const r = parseRecordRef(input, opts);
  if (!r.ok) throw new Error(`expected ok for ${input}: ${r.reason}`);
  return r;
}

function fail(input: string, opts?: Parameters<typeof parseRecordRef>[1]) {
  const r = parseRecordRef(input, opts);
  if (r.ok) throw new Error(`expected failure for ${input}`);
  return r.reason;
}

describe('normalizeModule', () => {
  it.each([
    ['Leads', 'Leads'],
    ['lead', 'Leads'],
    [' LEADS ', 'Leads'],
    ['account', 'Accounts'],
    ['Accounts', 'Accounts'],
    ['contact', 'Contacts'],
    ['CONTACTS', 'Contacts'],
    ['deal', 'Deals'],
    ['Deals', 'Deals'],
    ['Potentials', 'Deals'],
    ['potential', 'Deals'],
  ])('%s -> %s', (input, expected) => {
    expect(normalizeModule(input)).toBe(expected);
  });

  it.each(['', 'Tasks', 'Leadz', 'CustomModule4', 'leads/'])('%s -> null', (input) => {
    expect(normalizeModule(input)).toBeNull();
  });
});

describe('parseRecordRef: Module/ID', () => {
  it('keeps 19-digit ids exact (beyond Number.MAX_SAFE_INTEGER)', () => {
    const r = ok(`Leads/${ID}`);
    expect(r.ref).toEqual({ module: 'Leads', recordId: ID });
    expect(typeof r.ref.recordId).toBe('string');
    expect(Number(ID).toString()).not.toBe(ID); // the reason ids must stay strings
    expect(r.source).toBe('module_id');
  });

  it.each([
    [`leads/${ID}`, 'Leads'],
    [`Lead/${ID}`, 'Leads'],
    [`DEALS/${ID}`, 'Deals'],
    [`Potentials/${ID}`, 'Deals'],
    [`potential/${ID}`, 'Deals'],
    [`contact/${ID}`, 'Contacts'],
    [`Accounts / ${ID}`, 'Accounts'],
    [`  Accounts/${ID}  `, 'Accounts'],
    [`Leads/zcrm_${ID}`, 'Leads'],
  ])('%s', (input, module) => {
    expect(ok(input).ref).toEqual({ module, recordId: ID });
  });

  it('accepts 15 to 19 digits, leading zeros kept', () => {
    expect(ok('Leads/123456789012345').ref.recordId).toBe('123456789012345');
    expect(ok('Leads/0000000000000000001').ref.recordId).toBe('0000000000000000001');
    expect(ok(`Leads/${ID18}`).ref.recordId).toBe(ID18);
  });

  it('rejects ids of the wrong length with the digit count', () => {
    expect(fail('Leads/12345')).toMatch(/5 digits.*15 to 19/);
    expect(fail('Leads/12345678901234567890')).toMatch(/20 digits/);
  });

  it('rejects non-numeric ids and unknown modules with the accepted forms', () => {
    expect(fail('Leads/abc')).toMatch(/not a record ID.*15 to 19 digits/);
    expect(fail(`Tasks/${ID}`)).toMatch(/"Tasks" is not a module.*Leads, Accounts, Contacts or Deals/);
  });

  it('explains spreadsheet-rounded ids', () => {
    expect(fail('Leads/3.6524E+18')).toMatch(/scientific notation/);
    expect(fail('3.6524E+18', { defaultModule: 'Leads' })).toMatch(/scientific notation/);
  });
});

describe('parseRecordRef: bare id', () => {
  it('needs a default module', () => {
    expect(fail(ID)).toMatch(/bare ID.*Module\/ID/);
    expect(ok(ID, { defaultModule: 'Deals' }).ref).toEqual({ module: 'Deals', recordId: ID });
    expect(ok(ID, { defaultModule: 'Deals' }).source).toBe('id');
  });

  it('still checks the length', () => {
    expect(fail('42', { defaultModule: 'Leads' })).toMatch(/2 digits/);
  });
});

describe('parseRecordRef: URLs', () => {
  const hosts = [
    'crm.zoho.com',
    'crm.zoho.eu',
    'crm.zoho.in',
    'crm.zoho.com.au',
    'crm.zoho.jp',
    'crm.zoho.com.cn',
    'crm.zoho.sa',
    'crm.zoho.uk',
    'crm.zohocloud.ca',
  ];
  const dcOf: Record<string, string> = {
    'crm.zoho.com': 'us',
    'crm.zoho.eu': 'eu',
    'crm.zoho.in': 'in',
    'crm.zoho.com.au': 'au',
    'crm.zoho.jp': 'jp',
    'crm.zoho.com.cn': 'cn',
    'crm.zoho.sa': 'sa',
    'crm.zoho.uk': 'uk',
    'crm.zohocloud.ca': 'ca',
  };

  for (const host of hosts) {
    it(`org form on ${host}`, () => {
      const r = ok(`https://${host}/crm/org60057545957/tab/Potentials/${ID}`);
      expect(r.ref).toEqual({ module: 'Deals', recordId: ID });
      expect(r.orgId).toBe('60057545957');
      expect(r.dc).toBe(dcOf[host]);
      expect(r.source).toBe('url');
    });
  }

  it.each([
    [`https://crm.zoho.com/crm/tab/Leads/${ID}`, 'Leads'],
    [`https://crm.zoho.com/crm/acmecorp/tab/Contacts/${ID}`, 'Contacts'],
    [`https://crm.zoho.eu/crm/org41701914/tab/Accounts/${ID}?sub_module=foo&x=1`, 'Accounts'],
    [`https://crm.zoho.com/crm/org41701914/tab/Leads/${ID}/related/Notes`, 'Leads'],
    [`https://crm.zoho.com/crm/org41701914/tab/Leads/${ID}#notes`, 'Leads'],
    [`https://crm.zoho.com/crm/org41701914/tab/Deals/${ID}`, 'Deals'],
    [`https://crm.zoho.com/crm/org41701914/tab/leads/${ID}/`, 'Leads'],
    [`http://crm.zoho.com/crm/org41701914/tab/Leads/${ID}`, 'Leads'],
    [`crm.zoho.com/crm/org41701914/tab/Leads/${ID}`, 'Leads'],
    [`https://one.zoho.com/zohoone/acme/home/cxapp/crm/org41701914/tab/Potentials/${ID}`, 'Deals'],
    [`https://one.zoho.eu/zohoone/acme/home/cxapp/crm/org41701914/tab/Leads/${ID}?x=1`, 'Leads'],
    [`https://crmplus.zoho.com/acme/index.do/cxapp/crm/org41701914/tab/Accounts/${ID}`, 'Accounts'],
    [`https://crmplus.zoho.in/acme/index.do#/cxapp/crm/org41701914/tab/Contacts/${ID}`, 'Contacts'],
    [`https://crm.zoho.com/crm/EntityInfo.do?module=Potentials&id=${ID}`, 'Deals'],
  ])('%s', (url, module) => {
    expect(ok(url).ref).toEqual({ module, recordId: ID });
  });

  it('unwraps Slack links and decodes Slack escapes', () => {
    const url = `https://crm.zoho.com/crm/org41701914/tab/Leads/${ID}`;
    expect(ok(`<${url}|Acme Lead>`).ref.recordId).toBe(ID);
    expect(ok(`<${url}>`).ref.recordId).toBe(ID);
    expect(ok(`<${url}?a=1&amp;b=2|label, with comma>`).ref.recordId).toBe(ID);
    expect(ok(`<https://crm.zoho.com/crm/EntityInfo.do?module=Leads&amp;id=${ID}>`).ref.recordId).toBe(ID);
  });

  it('tolerates quotes and trailing punctuation', () => {
    expect(ok(`"https://crm.zoho.com/crm/tab/Leads/${ID}".`).ref.recordId).toBe(ID);
    expect(ok(`(Leads/${ID}),`).ref.recordId).toBe(ID);
  });

  it('refuses other hosts', () => {
    expect(fail(`https://example.com/crm/tab/Leads/${ID}`)).toMatch(/example\.com is not a Zoho CRM address/);
    expect(fail(`https://zoho.com.evil.io/crm/tab/Leads/${ID}`)).toMatch(/not a Zoho CRM address/);
  });

  it('refuses custom modules and non-territory modules', () => {
    expect(fail(`https://crm.zoho.com/crm/org1/tab/CustomModule4/${ID}`)).toMatch(
      /custom-module record \(CustomModule4\).*Leads, Accounts, Contacts or Deals/,
    );
    expect(fail(`https://crm.zoho.com/crm/org1/tab/Tasks/${ID}`)).toMatch(/Tasks record/);
  });

  it('refuses list views and links without a record', () => {
    expect(fail('https://crm.zoho.com/crm/org1/tab/Leads/')).toMatch(/Leads list, not one record/);
    expect(fail('https://crm.zoho.com/crm/org1/home')).toMatch(/does not point to a record/);
  });

  it('refuses bad ids inside links', () => {
    expect(fail('https://crm.zoho.com/crm/org1/tab/Leads/12345')).toMatch(/5 digits/);
    expect(fail('https://crm.zoho.com/crm/org1/tab/Leads/create')).toMatch(/not a record ID/);
  });

  it('refuses non-web schemes', () => {
    expect(fail(`ftp://crm.zoho.com/crm/tab/Leads/${ID}`)).toMatch(/not a web link/);
  });
});

describe('parseRecordRef: garbage', () => {
  it.each(['', '   ', 'hello world', 'Leads', '/', '<>', 'Leads/', '💥', 'null', 'Leads/ 123 456'])(
    '%j is refused with the accepted forms',
    (input) => {
      const reason = fail(input);
      expect(reason.length).toBeGreaterThan(10);
      expect(reason).not.toMatch(/undefined|\[object/);
    },
  );

  it('clips very long input in the reason', () => {
    const reason = fail('x'.repeat(5000));
    expect(reason.length).toBeLessThan(400);
  });
});

describe('recordWebUrl', () => {
  it('builds the tab URL, Deals as Potentials', () => {
    expect(recordWebUrl('us', 'Deals', ID, '41701914')).toBe(
      `https://crm.zoho.com/crm/org41701914/tab/Potentials/${ID}`,
    );
    expect(recordWebUrl('ca', 'Leads', ID)).toBe(`https://crm.zohocloud.ca/crm/tab/Leads/${ID}`);
    expect(recordWebUrl('eu', 'Accounts', ID, 'org5')).toBe(
      `https://crm.zoho.eu/crm/org5/tab/Accounts/${ID}`,
    );
  });

  it('round-trips through parseRecordRef for every data centre and module', () => {
    for (const dc of DATA_CENTRE_CODES) {
      for (const module of ['Leads', 'Accounts', 'Contacts', 'Deals'] as const) {
        const r = ok(recordWebUrl(dc, module, ID, '123'));
        expect(r.ref).toEqual({ module, recordId: ID });
        expect(r.dc).toBe(dc);
        expect(r.orgId).toBe('123');
      }
    }
  });
});

describe('helpers', () => {
  it('formatRecordRef and checkRecordId', () => {
    expect(recordKey({ module: 'Deals', recordId: ID })).toBe(`Deals/${ID}`);
    expect(checkRecordId(` zcrm_${ID} `)).toEqual({ ok: true, id: ID });
    expect(checkRecordId('12').ok).toBe(false);
  });
});

/**
 * Record references as people give them: a Zoho CRM link (any data centre, Zoho One and
 * CRM Plus wrappers, Slack's `<url|label>` wrapping), `Module/ID`, or a bare ID when the
 * caller knows the module. IDs stay strings: they are 18-19 digits and exceed 2^53
 * (zoho-api.md §14.1), so a JS number would silently change them.
 */
import { DATA_CENTRES, type DataCentre } from '../zoho/dc.js';
import type { ZohoModule } from '../zoho/types.js';
import { EXAMPLE_RECORD_ID } from './examples.js';
import { ACCEPTED_MODULES_TEXT, MODULE_TABS, normalizeModule } from './modules.js';

/** Which record: the same two fields, by the same names, as a stored request item. */
export interface RecordRef {
  module: ZohoModule;
  recordId: string;
}

export type RecordRefSource = 'url' | 'module_id' | 'id';

export type RecordRefResult =
  | {
      ok: true;
      ref: RecordRef;
      source: RecordRefSource;
      /** `org{ORGID}` from a link, when present. */
      orgId: string | null;
      /** Data centre hinted by a link's host (the API host still comes from the token). */
      dc: DataCentre | null;
    }
  | { ok: false; reason: string };

export interface ParseRecordRefOptions {
  /** Module for a bare ID (e.g. the module picked in a modal); without it a bare ID is refused. */
  defaultModule?: ZohoModule | null;
}

/** Zoho accepts 18-19 digit IDs in practice; 15-19 leaves room for older orgs (zoho-api.md §14.1). */
export const RECORD_ID_PATTERN = /^\d{15,19}$/;

export const ACCEPTED_RECORD_FORMS =
  `a Zoho CRM record link (https://crm.zoho.com/crm/org…/tab/Leads/${EXAMPLE_RECORD_ID}) ` +
  `or Module/ID (Leads/${EXAMPLE_RECORD_ID}; module is ${ACCEPTED_MODULES_TEXT})`;

/** Base domains of Zoho's web hosts per data centre, from DATA_CENTRES (`crm.zoho.eu` → `zoho.eu`). */
const ZOHO_BASE_DOMAINS: ReadonlyArray<{ base: string; dc: DataCentre }> = (
  Object.entries(DATA_CENTRES) as Array<[DataCentre, (typeof DATA_CENTRES)[DataCentre]]>
)
  .map(([dc, hosts]) => ({ dc, base: hosts.web.replace(/^crm\./, '') }))
  // Longest first so `zoho.com.au` wins over `zoho.com`.
  .sort((a, b) => b.base.length - a.base.length);

/** `Leads/3652397000001234567`: the form people type, and the key for de-duplication and maps. */
export function recordKey(ref: RecordRef): string {
  return `${ref.module}/${ref.recordId}`;
}

/** Link to the record's page in Zoho CRM's web UI. */
export function recordWebUrl(dc: DataCentre, module: ZohoModule, id: string, orgId?: string | null): string {
  const org = orgId ? `org${orgId.replace(/^org/i, '')}/` : '';
  return `https://${DATA_CENTRES[dc].web}/crm/${org}tab/${MODULE_TABS[module]}/${id}`;
}

/** Checks a record ID's shape; returns a sentence for people when it is wrong. */
export function checkRecordId(text: string): { ok: true; id: string } | { ok: false; reason: string } {
  const id = text.trim().replace(/^zcrm_/i, '');
  if (RECORD_ID_PATTERN.test(id)) return { ok: true, id };
  if (/^\d(\.\d+)?e\+?\d+$/i.test(id)) {
    return {
      ok: false,
      reason:
        `"${id}" looks like a record ID that a spreadsheet rounded to scientific notation; ` +
        'format the ID column as text and export again.',
    };
  }
  if (/^\d+$/.test(id)) {
    return {
      ok: false,
      reason: `"${id}" has ${id.length} digits, but Zoho record IDs have 15 to 19 digits.`,
    };
  }
  return { ok: false, reason: `"${clip(id)}" is not a record ID: Zoho record IDs are 15 to 19 digits.` };
}

/**
 * Parses one record reference. Never throws; a failure carries a sentence naming what was
 * wrong and the accepted forms.
 */
export function parseRecordRef(input: string, options: ParseRecordRefOptions = {}): RecordRefResult {
  const text = cleanInput(input);
  if (text === '') {
    return { ok: false, reason: `No record given. Give ${ACCEPTED_RECORD_FORMS}.` };
  }

  if (/^(zcrm_)?\d+$/i.test(text) || /^\d(\.\d+)?e\+?\d+$/i.test(text)) {
    const id = checkRecordId(text);
    if (!id.ok) return id;
    if (!options.defaultModule) {
      return {
        ok: false,
        reason: `"${text}" is a bare ID, so the module is unknown. Write it as Module/ID (Leads/${id.id}) or paste the record's link.`,
      };
    }
    return {
      ok: true,
      ref: { module: options.defaultModule, recordId: id.id },
      source: 'id',
      orgId: null,
      dc: null,
    };
  }

  if (looksLikeUrl(text)) return parseRecordUrl(text);

  const moduleId = /^([A-Za-z]+)\s*\/\s*(\S+)$/.exec(text);
  if (moduleId) {
    const [, moduleText = '', idText = ''] = moduleId;
    const module = normalizeModule(moduleText);
    if (!module) {
      return {
        ok: false,
        reason: `"${clip(moduleText)}" is not a module with territories: use ${ACCEPTED_MODULES_TEXT} (e.g. Leads/${EXAMPLE_RECORD_ID}).`,
      };
    }
    const id = checkRecordId(idText);
    if (!id.ok) return id;
    return { ok: true, ref: { module, recordId: id.id }, source: 'module_id', orgId: null, dc: null };
  }

  return { ok: false, reason: `"${clip(text)}" is not a record. Give ${ACCEPTED_RECORD_FORMS}.` };
}

function parseRecordUrl(text: string): RecordRefResult {
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    return { ok: false, reason: `"${clip(text)}" is not a valid link. Give ${ACCEPTED_RECORD_FORMS}.` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, reason: `"${clip(text)}" is not a web link. Give ${ACCEPTED_RECORD_FORMS}.` };
  }
  const host = url.hostname.toLowerCase();
  const zoho = ZOHO_BASE_DOMAINS.find(({ base }) => host === base || host.endsWith(`.${base}`));
  if (!zoho) {
    return {
      ok: false,
      reason: `${host} is not a Zoho CRM address. Copy the link from the record's page in Zoho CRM, or give Module/ID (Leads/${EXAMPLE_RECORD_ID}).`,
    };
  }

  // Zoho One and some CRM views keep the route in the fragment; look at path and fragment.
  const route = `${safeDecode(url.pathname)}/${safeDecode(url.hash.replace(/^#!?/, ''))}`;
  const org = /\/org(\d+)(?=\/|$)/i.exec(route);
  const orgId = org?.[1] ?? null;

  const tab = /\/tab\/([^/?#]+)\/([^/?#&;]*)/i.exec(route);
  if (tab) {
    const [, tabName = '', idText = ''] = tab;
    return fromTabAndId(tabName, idText, orgId, zoho.dc);
  }

  // Classic UI: /crm/EntityInfo.do?module=Potentials&id=...
  const moduleParam = url.searchParams.get('module');
  const idParam = url.searchParams.get('id') ?? url.searchParams.get('entityId');
  if (moduleParam && idParam) return fromTabAndId(moduleParam, idParam, orgId, zoho.dc);

  return {
    ok: false,
    reason:
      'That Zoho link does not point to a record. Open the record in Zoho CRM and copy the address ' +
      `(it contains /tab/<Module>/<ID>), or give Module/ID (Leads/${EXAMPLE_RECORD_ID}).`,
  };
}

function fromTabAndId(
  tabName: string,
  idText: string,
  orgId: string | null,
  dc: DataCentre,
): RecordRefResult {
  const module = normalizeModule(tabName);
  if (!module) {
    const custom = /^CustomModule\d+$/i.test(tabName);
    return {
      ok: false,
      reason: custom
        ? `That link is to a custom-module record (${tabName}); Zoho supports territories only on ${ACCEPTED_MODULES_TEXT}.`
        : `That link is to a ${clip(tabName)} record; Zoho supports territories only on ${ACCEPTED_MODULES_TEXT}.`,
    };
  }
  if (idText === '') {
    return {
      ok: false,
      reason: `That link opens the ${module} list, not one record. Open the record and copy its address.`,
    };
  }
  const id = checkRecordId(idText);
  if (!id.ok) return id;
  return { ok: true, ref: { module, recordId: id.id }, source: 'url', orgId, dc };
}

const LEADING_NOISE = new Set(['"', "'", '`', '(', ' ', '\t', '\n', '\r', '\u00a0']);
const TRAILING_NOISE = new Set([
  '"',
  "'",
  '`',
  ')',
  ' ',
  '\t',
  '\n',
  '\r',
  '\u00a0',
  '.',
  ',',
  ';',
  ':',
  '!',
  '?',
]);

/** Undo what Slack and chat pasting add around a reference. */
function cleanInput(input: string): string {
  let s = input.trim();
  // Slack wraps links as <url|label> or <url> in message and command text.
  const wrapped = /^<([^|>]+)(?:\|[^>]*)?>$/.exec(s);
  if (wrapped) s = (wrapped[1] ?? '').trim();
  // Slack escapes &, < and > in text it sends to apps.
  s = s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  // Quotes and trailing sentence punctuation around a pasted reference. A loop, not a
  // `[...]+$` regex: that one is quadratic on long runs of spaces.
  let start = 0;
  let end = s.length;
  while (start < end && LEADING_NOISE.has(s[start]!)) start++;
  while (end > start && TRAILING_NOISE.has(s[end - 1]!)) end--;
  return s.slice(start, end);
}

function looksLikeUrl(text: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(text) || /^(?:[a-z0-9-]+\.)+[a-z]{2,}(?::\d+)?\//i.test(text);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function clip(s: string, max = 60): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

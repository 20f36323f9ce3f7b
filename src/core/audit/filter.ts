/**
 * What `/territory audit [<record> | @user | since <date>]` asks for (DESIGN.md §2). Pure: the
 * listener hands in the text after `audit`.
 */
import { parseRecordRef, type RecordRef } from '../records/ref.js';

export type AuditFilter =
  | { kind: 'all' }
  | { kind: 'record'; record: RecordRef }
  | { kind: 'user'; userId: string }
  | { kind: 'since'; since: number };

export type AuditFilterResult = { ok: true; filter: AuditFilter } | { ok: false; problem: string };

const DAY_MS = 86_400_000;
/** `<@U123>` / `<@U123|jane>` (Slack escapes mentions this way) or a bare user id. */
const MENTION = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/;
const USER_ID = /^[UW][A-Z0-9]{6,}$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const RELATIVE = /^(\d{1,4})d$/i;

/** `since` dates are days in UTC (`2026-01-31` = from 00:00 UTC that day); `30d` = the last 30 days. */
export function parseAuditFilter(text: string, now: number): AuditFilterResult {
  const words = text.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return { ok: true, filter: { kind: 'all' } };
  const [first = '', second] = words;
  if (first.toLowerCase() === 'since') {
    if (!second || words.length > 2) {
      return { ok: false, problem: 'Give one date after `since`: `since 2026-01-31` or `since 30d`.' };
    }
    const since = parseSince(second, now);
    if (since === null) {
      return {
        ok: false,
        problem: `"${clip(second)}" is not a date: use YYYY-MM-DD (\`since 2026-01-31\`) or a number of days (\`since 30d\`).`,
      };
    }
    return { ok: true, filter: { kind: 'since', since } };
  }
  if (words.length > 1) {
    return {
      ok: false,
      problem:
        'Give one filter: a record, a person (@name) or `since <date>`, or nothing for everything you may see.',
    };
  }
  const mention = MENTION.exec(first);
  if (mention?.[1]) return { ok: true, filter: { kind: 'user', userId: mention[1] } };
  if (USER_ID.test(first)) return { ok: true, filter: { kind: 'user', userId: first } };
  if (first.startsWith('@')) {
    return {
      ok: false,
      problem: `Slack did not send "${clip(first)}" as a person: pick them from the list as you type @, or give their member ID (U…).`,
    };
  }
  const ref = parseRecordRef(first);
  if (!ref.ok) return { ok: false, problem: ref.reason };
  return { ok: true, filter: { kind: 'record', record: ref.ref } };
}

function parseSince(word: string, now: number): number | null {
  const rel = RELATIVE.exec(word);
  if (rel) return now - Number(rel[1]) * DAY_MS;
  const m = ISO_DATE.exec(word);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const at = Date.UTC(y, mo - 1, d);
  const back = new Date(at);
  // Date.UTC rolls 2026-02-31 over to March: refuse instead of guessing.
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return at;
}

function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** How the filter reads in an answer and a file name. */
export function describeFilter(filter: AuditFilter): string {
  switch (filter.kind) {
    case 'all':
      return 'all requests';
    case 'record':
      return `${filter.record.module}/${filter.record.recordId}`;
    case 'user':
      return `requests by <@${filter.userId}>`;
    case 'since':
      return `requests since ${new Date(filter.since).toISOString().slice(0, 10)}`;
  }
}

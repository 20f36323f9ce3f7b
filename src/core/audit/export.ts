/**
 * `/territory audit`: the audit trail as a CSV file sent to the person who asked, holding only
 * what they may see (DESIGN.md §4): admins (APPROVER_USER_IDS / APPROVER_USERGROUP) everything,
 * others their own requests and the changes to the records of those requests. The store is read
 * page by page and the file is capped, so a large history never loads at once.
 */
import type { Clock } from '../clock.js';
import type { AuditTrailQuery, AuditTrailRow, Store } from '../store/types.js';
import { auditCsvHeader, auditCsvRows, type TerritoryNames } from './csv.js';
import { type AuditFilter, describeFilter, parseAuditFilter } from './filter.js';

/** Rows per file: enough for a year of bulks, small enough for Slack and a spreadsheet. */
export const AUDIT_MAX_ROWS = 50_000;
const PAGE = 1_000;

/** Delivers the file to the person (Slack: an upload shared into their DM with the bot). */
export interface AuditFileSender {
  sendCsv(
    userId: string,
    file: { filename: string; title: string; content: string; comment: string },
  ): Promise<void>;
}

export interface AuditExportDeps {
  store: Pick<Store, 'listAuditTrail'>;
  clock: Clock;
  /** Admins see every request. */
  isAdmin(userId: string): Promise<boolean>;
  territoryNames(): Promise<TerritoryNames>;
  files: AuditFileSender;
  maxRows?: number;
  pageSize?: number;
}

export type AuditExportResult =
  | {
      ok: true;
      /** Rows in the file (0: no file was sent). */
      rows: number;
      /** More rows matched than the file holds. */
      capped: boolean;
      maxRows: number;
      filterLabel: string;
      filename: string;
      /** `all`: an admin's export; `own`: limited to what this person may see. */
      scope: 'all' | 'own';
    }
  | { ok: false; problem: string };

export async function exportAudit(
  deps: AuditExportDeps,
  input: { userId: string; text: string },
): Promise<AuditExportResult> {
  const now = deps.clock.now();
  const parsed = parseAuditFilter(input.text, now);
  if (!parsed.ok) return { ok: false, problem: parsed.problem };
  const admin = await deps.isAdmin(input.userId);
  const maxRows = deps.maxRows ?? AUDIT_MAX_ROWS;
  const base = queryFor(parsed.filter);
  if (!admin) base.visibleTo = input.userId;

  const names = await deps.territoryNames();
  const chunks: string[] = [auditCsvHeader()];
  let rows = 0;
  let capped = false;
  let after: AuditTrailQuery['after'];
  for (;;) {
    const want = Math.min(deps.pageSize ?? PAGE, maxRows - rows + 1);
    const page: AuditTrailRow[] = await deps.store.listAuditTrail({
      ...base,
      limit: want,
      ...(after ? { after } : {}),
    });
    const room = maxRows - rows;
    if (page.length > room) capped = true;
    const kept = page.slice(0, room);
    chunks.push(auditCsvRows(kept, names));
    rows += kept.length;
    const last = page.at(-1);
    if (capped || page.length < want || !last) break;
    after = { createdAt: last.createdAt, requestId: last.requestId, seq: last.seq };
  }

  const filterLabel = describeFilter(parsed.filter);
  const filename = `territory-audit-${new Date(now).toISOString().slice(0, 10)}.csv`;
  const scope = admin ? 'all' : 'own';
  if (rows > 0) {
    await deps.files.sendCsv(input.userId, {
      filename,
      title: `Territory audit: ${filterLabel.replace(/<@([A-Z0-9]+)>/g, '$1')}${scope === 'own' ? ' (what you may see)' : ''}`,
      content: chunks.join(''),
      comment: `Audit trail (${filterLabel}${scope === 'own' ? ', what you may see' : ''}): ${rows} row${rows === 1 ? '' : 's'}${capped ? `, capped at ${maxRows}` : ''}.`,
    });
  }
  return { ok: true, rows, capped, maxRows, filterLabel, filename, scope };
}

function queryFor(filter: AuditFilter): Omit<AuditTrailQuery, 'limit'> {
  switch (filter.kind) {
    case 'all':
      return {};
    case 'record':
      return { record: filter.record };
    case 'user':
      return { requesterId: filter.userId };
    case 'since':
      return { since: filter.since };
  }
}

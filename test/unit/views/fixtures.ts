/** Seeded, deterministic inputs for the view tests: large and hostile (long names, mrkdwn). */
import type { RequestItemRecord, RequestRecord } from '../../../src/core/store/types.js';
import type { Territory, ZohoModule } from '../../../src/core/zoho/types.js';

export const T0 = Date.UTC(2026, 0, 15, 9, 30, 0);

/** A 500-character name full of characters mrkdwn treats specially. */
export function hostileName(seed: number, length = 500): string {
  const base = `<!channel> & <@U999> *bold* ${seed} `;
  return (base + 'ü😀x&<>'.repeat(Math.ceil(length / 7))).slice(0, length);
}

export function territoryId(i: number): string {
  return `3652397000${String(1_000_000 + i).padStart(9, '0')}`;
}

export function recordId(i: number): string {
  return `3652397000${String(5_000_000 + i).padStart(9, '0')}`;
}

/** A tree of `n` territories: root, then each node's parent is (i-1)/4 — 4-way branching. */
export function territoryTree(
  n: number,
  nameOf: (i: number) => string = (i) => `Territory ${i}`,
): Territory[] {
  return Array.from({ length: n }, (_, i) => ({
    id: territoryId(i),
    name: nameOf(i),
    apiName: null,
    description: null,
    parentId: i === 0 ? null : territoryId(Math.floor((i - 1) / 4)),
    managerId: null,
    managerName: null,
    permissionType: 'read_write_delete',
  }));
}

export function namesOf(territories: readonly Territory[]): Map<string, string> {
  return new Map(territories.map((t) => [t.id, t.name]));
}

const MODULES: readonly ZohoModule[] = ['Leads', 'Accounts', 'Contacts', 'Deals'];

export function moduleOf(i: number): ZohoModule {
  return MODULES[i % MODULES.length]!;
}

export function request(overrides: Partial<RequestRecord> = {}): RequestRecord {
  return {
    id: 'req_01',
    kind: 'bulk',
    state: 'pending_approval',
    requesterId: 'U0REQUEST',
    originChannelId: 'C0SALES',
    reason: 'Q1 re-territorialisation',
    itemCount: 3,
    summary: {},
    createdAt: T0,
    updatedAt: T0,
    expiresAt: T0 + 72 * 3_600_000,
    decidedBy: null,
    decidedAt: null,
    decisionComment: null,
    ...overrides,
  };
}

export function item(seq: number, overrides: Partial<RequestItemRecord> = {}): RequestItemRecord {
  return {
    requestId: 'req_01',
    seq,
    lineNo: seq + 2,
    module: moduleOf(seq),
    recordId: recordId(seq),
    action: 'assign',
    territoryIds: [territoryId(seq % 50)],
    removeTerritoryIds: [],
    state: 'pending',
    jobId: null,
    code: null,
    message: null,
    attempts: 0,
    before: [territoryId((seq + 1) % 50)],
    after: null,
    notBefore: null,
    recordName: null,
    warning: null,
    issue: null,
    updatedAt: T0,
    ...overrides,
  };
}

/** Every string anywhere in a JSON value (to look for unescaped text). */
export function allStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(allStrings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(allStrings);
  return [];
}

/** Every string that Slack parses as mrkdwn (plain_text objects are shown literally, never parsed). */
export function parsedStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(parsedStrings);
  if (value && typeof value === 'object') {
    if ((value as { type?: unknown }).type === 'plain_text') return [];
    return Object.values(value).flatMap(parsedStrings);
  }
  return [];
}

/** True when no mrkdwn string in the payload carries a raw `<!channel>` or `<@U999>` from user input. */
export function noRawInjection(value: unknown): boolean {
  return parsedStrings(value).every((s) => !s.includes('<!channel>') && !s.includes('<@U999>'));
}

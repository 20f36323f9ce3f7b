/**
 * The single-record path's request: one request with one item, stored exactly like a bulk so
 * the same engine, tracker and Slack rendering serve both (DESIGN.md §3 "Single record").
 */
import type { ItemAction, NewRequest, NewRequestItem } from '../store/types.js';
import type { ZohoModule } from '../zoho/types.js';

export interface SingleRequestInput {
  /** Slack user id of the person asking. */
  requesterId: string;
  originChannelId: string | null;
  action: ItemAction;
  module: ZohoModule;
  recordId: string;
  /** Territories to assign (assign, move) or remove (remove). */
  territoryIds: string[];
  /** For move: the record's manual territories, removed before assigning. */
  removeTerritoryIds?: string[];
  /** The record's territory ids as read before the change (shown in "before → after"). */
  before?: string[] | null;
  reason?: string | null;
  /** Extra data the Slack side keeps with the request (record name, territory names...). */
  summary?: Record<string, unknown>;
  /**
   * `approved` (default): it runs at once. `draft`: the access policy wants an approval, so it
   * is stored to be submitted like a bulk list (core/requests startSingle).
   */
  state?: 'approved' | 'draft';
}

export function buildSingleRequest(
  input: SingleRequestInput,
  id: string,
  now: number,
): { request: NewRequest; items: NewRequestItem[] } {
  if (!input.recordId) throw new Error('single request: recordId is required');
  if (input.territoryIds.length === 0) throw new Error('single request: at least one territory is required');
  return {
    request: {
      id,
      kind: input.action,
      // A direct change is approved at once; one that needs approval starts as a draft (DESIGN.md §4).
      state: input.state ?? 'approved',
      requesterId: input.requesterId,
      originChannelId: input.originChannelId,
      reason: input.reason ?? null,
      itemCount: 1,
      summary: { ...input.summary, single: true },
      createdAt: now,
      expiresAt: null,
    },
    items: [
      {
        seq: 0,
        lineNo: null,
        module: input.module,
        recordId: input.recordId,
        action: input.action,
        territoryIds: [...input.territoryIds],
        removeTerritoryIds: input.action === 'move' ? [...(input.removeTerritoryIds ?? [])] : [],
        before: input.before ?? null,
      },
    ],
  };
}

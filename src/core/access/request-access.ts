/**
 * The access decision kept with a request (in its summary), so every later step reads what was
 * decided when it was asked, from the store: whether it needs approval and why (the card, the
 * audit), the requester's Zoho user and the territories it touches (who may decide), and whom
 * the card mentions. Never read from buttons or private_metadata.
 */
import { z } from 'zod';
import { ACCESS_MODES, type AccessMode } from '../config/index.js';
import type { ApprovalRoute } from './approvers.js';
import type { AccessCheck } from './service.js';

export interface RequestAccess {
  mode: AccessMode;
  needsApproval: boolean;
  /** Why approval is needed, in words (empty when it is not). */
  reasons: Array<{ kind: string; text: string }>;
  requesterZohoUserId: string | null;
  touchedTerritoryIds: string[];
  /** Slack users the approval card mentions: the nearest territory managers mapped to Slack. */
  mention: string[];
  /** No territory manager maps to Slack: the admins decide. */
  adminsDecide: boolean;
}

const requestAccessSchema = z.object({
  mode: z.enum(ACCESS_MODES),
  needsApproval: z.boolean(),
  reasons: z.array(z.object({ kind: z.string(), text: z.string() })),
  requesterZohoUserId: z.string().nullable(),
  touchedTerritoryIds: z.array(z.string()),
  mention: z.array(z.string()),
  adminsDecide: z.boolean(),
});

/** The key under which the decision sits in `request.summary`. */
export const REQUEST_ACCESS_KEY = 'access';

/** The stored decision, or null for a request stored before access checks (or malformed). */
export function requestAccessOf(summary: Readonly<Record<string, unknown>>): RequestAccess | null {
  const parsed = requestAccessSchema.safeParse(summary[REQUEST_ACCESS_KEY]);
  return parsed.success ? parsed.data : null;
}

/** What to store for a checked request; `route` only when it needs approval. */
export function requestAccessFrom(
  mode: AccessMode,
  check: AccessCheck,
  route: ApprovalRoute | null,
): RequestAccess {
  const d = check.decision;
  return {
    mode,
    needsApproval: d.kind === 'needs_approval',
    reasons: d.kind === 'direct' ? [] : d.reasons.map((r) => ({ kind: r.kind, text: r.text })),
    requesterZohoUserId: check.requester?.zohoUserId ?? null,
    touchedTerritoryIds: [...d.touchedTerritoryIds],
    mention: route ? [...route.mention] : [],
    adminsDecide: route ? route.adminsDecide : true,
  };
}

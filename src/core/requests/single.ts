/**
 * `/territory assign|remove|move` and the assign modal. Who may ask is checked first, with no
 * Zoho call and nothing stored (DESIGN.md §4); what needs no Zoho (a bad record, no territory)
 * is refused at once. Then the change is stored as asked, before any Zoho read, so a Zoho
 * outage delays it but cannot lose it (issue 11 item 4). The deferred check reads the record,
 * plans it and applies the access policy (core/requests/single-policy.ts): direct changes start,
 * the others become a one-item draft submitted for approval exactly like a bulk list, refusals
 * are answered. When Zoho is down the check waits and the engine finishes it once Zoho is back.
 */
import type { AskedCheckOutcome, SingleRefusal as CheckRefusal } from '../assignment/single-check.js';
import { parseSingleInput, type SingleChangeInput } from '../assignment/single-request.js';
import { checkMayUseRecords, type GateRefusal, type RequestGateDeps } from './gate.js';
import type { RequestStarter, SingleRequestWriter } from './ports.js';

export interface StartSingleDeps extends RequestGateDeps {
  requests: SingleRequestWriter;
  starter: RequestStarter;
}

export interface StartSingleInput extends SingleChangeInput {
  /** Slack user id of the person asking. */
  requesterId: string;
  /** Where the parent message goes (null: the requester's DM). */
  originChannelId: string | null;
}

export type SingleRefusal = CheckRefusal | GateRefusal;

export type StartSingleResult =
  | {
      ok: true;
      requestId: string;
      pendingApproval: false;
      /** Set when Zoho could not be read: the change is stored and runs once Zoho is back. */
      waiting?: { problem: string; giveUpAt: number };
    }
  /** Stored and sent for approval; `reasons` say why, `mention` whom the card asks. */
  | { ok: true; requestId: string; pendingApproval: true; reasons: string[]; mention: string[] }
  | SingleRefusal;

/**
 * Checks who asks, stores the change, checks it against Zoho and the access policy, and starts
 * it (or submits it for approval). Resolves once it is started, sent for approval, refused or
 * waiting for Zoho; the engine posts progress and the result in the parent message's thread.
 * A Zoho error that waiting will not cure is thrown (the request is stored as refused).
 */
export async function startSingle(
  deps: StartSingleDeps,
  input: StartSingleInput,
): Promise<StartSingleResult> {
  const gate = await checkMayUseRecords(deps, input.requesterId);
  if (!gate.ok) return gate;
  // What needs no Zoho is refused before anything is stored.
  const asked = parseSingleInput(input);
  if (!asked.ok) return asked;
  const { ref, given } = asked;
  const request = await deps.requests.storeAsked({
    requesterId: input.requesterId,
    originChannelId: input.originChannelId,
    action: input.action,
    ref,
    territories: given,
  });
  const outcome: AskedCheckOutcome = await deps.requests.checkAsked(request.id);
  switch (outcome.kind) {
    case 'planned':
      await deps.starter.start(request.id);
      return { ok: true, requestId: request.id, pendingApproval: false };
    case 'pending_approval':
      return {
        ok: true,
        requestId: request.id,
        pendingApproval: true,
        reasons: outcome.reasons,
        mention: outcome.mention,
      };
    case 'refused':
      return outcome.refusal;
    case 'waiting':
      return {
        ok: true,
        requestId: request.id,
        pendingApproval: false,
        waiting: { problem: outcome.problem, giveUpAt: outcome.giveUpAt },
      };
    case 'failed':
    case 'moved':
      // Ended or taken over meanwhile (another replica); the thread tells the rest.
      return { ok: true, requestId: request.id, pendingApproval: false };
  }
}

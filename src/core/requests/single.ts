/**
 * `/territory assign|remove|move` and the assign modal: one call that stores the change as
 * asked, before any Zoho read (so a Zoho outage delays it but cannot lose it), then checks it
 * against Zoho's rules and starts it. When Zoho is down or throttling the change waits and the
 * engine runs it once Zoho is back (issue 11 item 4). Access checks belong here, before
 * anything is stored.
 */
import type { SingleChangeInput, SingleChangeResult } from '../assignment/single-request.js';
import { parseRecordRef } from '../records/index.js';
import type { RequestStarter, SingleRequestWriter } from './ports.js';

export interface StartSingleDeps {
  requests: SingleRequestWriter;
  starter: RequestStarter;
}

export interface StartSingleInput extends SingleChangeInput {
  /** Slack user id of the person asking. */
  requesterId: string;
  /** Where the parent message goes (null: the requester's DM). */
  originChannelId: string | null;
}

export type SingleRefusal = Exclude<SingleChangeResult, { ok: true }>;
export type StartSingleResult =
  | {
      ok: true;
      requestId: string;
      /** Set when Zoho could not be read: the change is stored and runs once Zoho is back. */
      waiting?: { problem: string; giveUpAt: number };
    }
  | SingleRefusal;

/**
 * Stores, checks and starts one change. Resolves once the request is stored and either started
 * or waiting for Zoho; the engine posts progress and the result in the parent message's thread.
 * A Zoho error that waiting will not cure is thrown (the request is stored as refused).
 */
export async function startSingle(
  deps: StartSingleDeps,
  input: StartSingleInput,
): Promise<StartSingleResult> {
  // What needs no Zoho is refused before anything is stored.
  const parsed = parseRecordRef(input.recordText, { defaultModule: input.defaultModule });
  if (!parsed.ok) return { ok: false, reason: 'bad_record', message: parsed.reason };
  const ref = parsed.ref;
  const given = typeof input.territories === 'string' ? input.territories.trim() : input.territories;
  if (given.length === 0) {
    return {
      ok: false,
      reason: 'no_territory',
      message: `Say which territory to ${input.action}, e.g. \`/territory ${input.action} ${ref.module}/${ref.recordId} US West\`.`,
    };
  }
  const request = await deps.requests.storeAsked({
    requesterId: input.requesterId,
    originChannelId: input.originChannelId,
    action: input.action,
    ref,
    territories: given,
  });
  const outcome = await deps.requests.checkAsked(request.id);
  switch (outcome.kind) {
    case 'planned':
      await deps.starter.start(request.id);
      return { ok: true, requestId: request.id };
    case 'refused':
      return outcome.refusal;
    case 'waiting':
      return {
        ok: true,
        requestId: request.id,
        waiting: { problem: outcome.problem, giveUpAt: outcome.giveUpAt },
      };
    case 'failed':
    case 'moved':
      // Ended or taken over meanwhile (another replica); the thread tells the rest.
      return { ok: true, requestId: request.id };
  }
}

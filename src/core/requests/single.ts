/**
 * `/territory assign|remove|move` and the assign modal: one call that checks the change against
 * Zoho's rules, stores it as a one-item request and starts it. Access checks belong here, before
 * anything is stored.
 */
import {
  prepareSingleChange,
  type SingleChangeInput,
  type SingleChangeResult,
  toSingleRequestInput,
} from '../assignment/single-request.js';
import type { TerritoryCatalog } from '../territories/index.js';
import type { ZohoApi } from '../zoho/types.js';
import type { RequestStarter, SingleRequestWriter } from './ports.js';

export interface StartSingleDeps {
  zoho: Pick<ZohoApi, 'getRecords'>;
  catalog: TerritoryCatalog;
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
export type StartSingleResult = { ok: true; requestId: string } | SingleRefusal;

/**
 * Checks, stores and starts one change. Resolves once the request is stored and its run is
 * scheduled; the engine posts progress and the result in the parent message's thread.
 * Zoho errors while checking are thrown (nothing was stored).
 */
export async function startSingle(
  deps: StartSingleDeps,
  input: StartSingleInput,
): Promise<StartSingleResult> {
  const prepared = await prepareSingleChange(deps, input);
  if (!prepared.ok) return prepared;
  const request = await deps.requests.createSingle(
    toSingleRequestInput(prepared, {
      requesterId: input.requesterId,
      originChannelId: input.originChannelId,
    }),
  );
  await deps.starter.start(request.id);
  return { ok: true, requestId: request.id };
}

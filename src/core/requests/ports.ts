/**
 * What the request use cases need from the rest of the app, declared here so every use case
 * names its dependencies and the reader can follow a request from the listener to the engine.
 * The assignment engine implements RequestRunner and SingleRequestWriter (src/bot.ts wires it).
 */
import type { SingleRequestInput } from '../assignment/engine-single.js';
import type { AskedCheckOutcome, AskedSingleInput } from '../assignment/single-check.js';
import type { RequestRecord } from '../store/types.js';

/** Sends a stored, startable request's items to Zoho (AssignmentEngine.run). */
export interface RequestRunner {
  run(requestId: string): Promise<unknown>;
}

/** Stores one-record requests (AssignmentEngine). */
export interface SingleRequestWriter {
  /** An already planned change, stored approved with its parent message posted. */
  createSingle(input: SingleRequestInput): Promise<RequestRecord>;
  /** The change as asked, stored before any Zoho read (state `checking`). */
  storeAsked(input: AskedSingleInput): Promise<RequestRecord>;
  /** Reads Zoho and plans a stored change; a waiting one is read again later by the engine. */
  checkAsked(requestId: string): Promise<AskedCheckOutcome>;
}

/**
 * Starts a stored request without waiting for it to finish: a person is waiting on the
 * listener, and a bulk may run for minutes. Implemented by BackgroundStarter (start.ts).
 */
export interface RequestStarter {
  start(requestId: string): Promise<void>;
}

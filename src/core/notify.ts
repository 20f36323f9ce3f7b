/**
 * The port through which core reports to people. Core knows nothing of Slack: it says *what*
 * happened (by id); the Slack side (src/notify) reads the store, renders src/views and posts,
 * updates or threads messages, throttling as Slack requires.
 */
import type { AlertRecord, MessageRef } from './store/types.js';

export interface RequestNotifier {
  /** The request was stored: post its parent message (channel, or the requester's DM). */
  requestCreated(requestId: string): Promise<void>;
  /** State or progress changed: update the parent message in place (implementations throttle). */
  requestUpdated(requestId: string): Promise<void>;
  /** All items reached a final state: reply in the parent's thread mentioning the requester. */
  requestFinished(requestId: string): Promise<void>;
  /** A request waits for approval: post the approval card to the approvers. */
  approvalRequested(requestId: string): Promise<void>;
  /** Approved, rejected, expired or cancelled: update the approval card(s) and tell the requester. */
  approvalDecided(requestId: string): Promise<void>;
}

export type AlertEvent =
  | { type: 'firing'; alert: AlertRecord }
  | { type: 'changed'; alert: AlertRecord }
  | { type: 'reminder'; alert: AlertRecord }
  | { type: 'resolved'; alert: AlertRecord };

export interface AlertNotifier {
  /**
   * firing: post a new message and return where it is; changed: edit it; reminder: reply in
   * its thread; resolved: edit it to "resolved" and reply in its thread.
   */
  alert(event: AlertEvent): Promise<MessageRef | null>;
}

/** Does nothing: for tests of core code and for runs with notifications switched off. */
export const silentNotifier: RequestNotifier & AlertNotifier = {
  requestCreated: async () => {},
  requestUpdated: async () => {},
  requestFinished: async () => {},
  approvalRequested: async () => {},
  approvalDecided: async () => {},
  alert: async () => null,
};

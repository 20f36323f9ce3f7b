/**
 * Steps of the bulk-with-approval flow as a person does them in Slack, for the e2e tests:
 * open the modal, submit a list (paste or CSV), submit the preview, review as a manager.
 */
import { expect } from 'vitest';
import type { EmuMessage, EmuView } from '../../src/sandbox/slack/types.js';
import { DEMO_IDS, eventually, type Stack } from './harness.js';

/** Text of everything the emulator holds for a message or view (text + blocks). */
/** What the steps use of a stack: the emulator and a driver aimed at one app (one replica). */
export type FlowStack = Pick<Stack, 'slack' | 'driver'>;

export const content = (m: { text?: string; blocks?: unknown }) =>
  `${m.text ?? ''} ${JSON.stringify(m.blocks ?? [])}`;

export function topView(stack: FlowStack, user: string): EmuView | undefined {
  return stack.slack.viewStack(user).at(-1);
}

/** The person closes whatever modal they still have open (as before starting something new). */
export function closeViews(stack: FlowStack, user: string): void {
  const root = stack.slack.viewStack(user)[0];
  if (root) stack.slack.closeView(root.id);
}

export async function waitForView(stack: FlowStack, user: string, callbackId: string, timeoutMs = 20_000) {
  return eventually(
    () => {
      const v = topView(stack, user);
      return v?.callback_id === callbackId ? v : undefined;
    },
    timeoutMs,
    `${callbackId} view for ${user}`,
  );
}

export interface ListInput {
  user?: string;
  channel?: string;
  paste?: string;
  csv?: string;
  defaultTerritoryId?: string;
  module?: string;
  reason?: string;
}

/** `/territory bulk`, fill the modal, submit it. Returns the submission result. */
export async function submitList(stack: FlowStack, input: ListInput) {
  const user = input.user ?? DEMO_IDS.rep;
  closeViews(stack, user);
  await stack.driver.command({ user, channel: input.channel ?? DEMO_IDS.sales, text: 'bulk' });
  await waitForView(stack, user, 'bulk_modal', 5_000);
  const values: Record<string, string | null | { files: string[] }> = {
    bulk_reason: input.reason ?? 'Q1 territory clean-up',
  };
  if (input.paste !== undefined) values.bulk_paste = input.paste;
  if (input.csv !== undefined)
    values.bulk_file = { files: [stack.slack.uploadFile(user, 'records.csv', input.csv, 'text/csv')] };
  if (input.defaultTerritoryId) values.bulk_default_territory = input.defaultTerritoryId;
  if (input.module) values.bulk_module = input.module;
  const res = await stack.driver.submitView({ user, values });
  if (res.outcome?.action === 'invalid')
    throw new Error(`Slack refused the ack: ${res.outcome.problems.join('; ')}`);
  return res;
}

/** Submits a list and waits for its preview; returns the draft's request id and the view. */
export async function previewList(stack: FlowStack, input: ListInput) {
  const user = input.user ?? DEMO_IDS.rep;
  const res = await submitList(stack, input);
  expect(res.outcome?.action).toBe('update');
  const view = await waitForView(stack, user, 'bulk_preview');
  const requestId = (JSON.parse(view.private_metadata ?? '{}') as { r?: string }).r;
  if (!requestId) throw new Error('preview carries no request id');
  return { view, requestId };
}

/** Submit for approval (or Run now) from the preview. */
export async function submitPreview(stack: FlowStack, user: string = DEMO_IDS.rep) {
  const res = await stack.driver.submitView({ user });
  expect(res.outcome?.action).toBe('update');
  return res;
}

/** The approval card of a request in the approvals channel. */
export async function approvalCard(
  stack: FlowStack,
  requestId: string,
  channel: string = DEMO_IDS.approvals,
  timeoutMs = 10_000,
) {
  return eventually(
    () => stack.slack.messages(channel).find((m) => content(m).includes(requestId)),
    timeoutMs,
    `approval card of ${requestId}`,
  );
}

/** The requester's parent message of a request. */
export async function parentMessage(stack: FlowStack, requestId: string, channel: string = DEMO_IDS.sales) {
  return eventually(
    () => stack.slack.messages(channel).find((m) => content(m).includes(requestId)),
    10_000,
    `parent message of ${requestId}`,
  );
}

/** A manager clicks Review on the card; resolves with the filled review modal. */
export async function openReview(
  stack: FlowStack,
  user: string,
  card: EmuMessage,
  channel: string = DEMO_IDS.approvals,
) {
  closeViews(stack, user);
  await stack.driver.clickButton({ user, channel, ts: card.ts, actionId: 'approval_review' });
  return waitForView(stack, user, 'review_modal', 10_000);
}

export async function decide(
  stack: FlowStack,
  user: string,
  decision: 'approve' | 'reject',
  comment?: string,
) {
  const values: Record<string, string | null> = { review_decision: decision };
  if (comment !== undefined) values.review_comment = comment;
  const res = await stack.driver.submitView({ user, values });
  if (res.outcome?.action === 'invalid')
    throw new Error(`Slack refused the ack: ${res.outcome.problems.join('; ')}`);
  return res;
}

/** Waits for the final thread reply (mentions the requester, says "finished" or "done"). */
export async function finalReply(
  stack: FlowStack,
  parent: EmuMessage,
  timeoutMs = 60_000,
  channel: string = DEMO_IDS.sales,
) {
  return eventually(
    () =>
      stack.slack.thread(channel, parent.ts).find((m) => /Bulk request (finished|done)/.test(m.text ?? '')),
    timeoutMs,
    'final thread reply',
  );
}

export function csvOf(lines: readonly string[], header = 'record,territory'): string {
  return `${header}\n${lines.join('\n')}\n`;
}

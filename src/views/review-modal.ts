/**
 * The manager's review (callback review_modal): summary, paged "before → after" rows with
 * warnings, an approve/reject radio and a comment. The listener enforces that a rejection has a
 * comment and that only approvers (never the requester) decide; the modal only explains it.
 */
import type { InputBlock, KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { context, plain, section } from './blocks.js';
import { ACTION, CALLBACK, encodePagedRequest, REVIEW_BLOCK, REVIEW_DECISION } from './ids.js';
import type { RecordLinker, TerritoryNames } from './labels.js';
import { modal } from './modal.js';
import { beforeAfterBlocks, clampPage } from './preview-rows.js';
import type { RequestView } from './request-message.js';
import { type BulkSummary, MODAL_SUMMARY, type PreviewItem, summaryBlocks } from './summary.js';
import { escapeTruncate, mention, oneLine, plural, slackDate } from './text.js';

export interface ReviewModalInput {
  request: RequestView;
  summary: BulkSummary;
  /** Rows of the page shown. */
  rows: readonly PreviewItem[];
  page: number;
  names: TerritoryNames;
  recordUrl?: RecordLinker;
  /**
   * Why this person cannot decide (own request, not an approver, already decided); null when
   * they can. Then the modal is read-only.
   */
  cannotDecide?: string | null;
}

const APPROVE: PlainTextOption = {
  text: plain('Approve: run it in Zoho'),
  value: REVIEW_DECISION.approve,
};
const REJECT: PlainTextOption = {
  text: plain('Reject'),
  value: REVIEW_DECISION.reject,
};

export function buildReviewModal(input: ReviewModalInput): ModalView {
  const { request } = input;
  const page = clampPage(input.page, input.summary.total);
  const pending = request.state === 'pending_approval';
  const blocked =
    input.cannotDecide ?? (pending ? null : `This request is ${request.state.replace('_', ' ')}.`);

  const blocks: KnownBlock[] = [
    section(
      `${mention(request.requesterId)} asks to change the territories of *${plural(request.itemCount, 'record')}*.\n` +
        `*Reason:* ${request.reason ? escapeTruncate(oneLine(request.reason), 800) : '_none given_'}`,
    ),
    ...summaryBlocks(input.summary, input.names, MODAL_SUMMARY),
  ];
  if (pending && request.expiresAt !== null) blocks.push(context(`Expires ${slackDate(request.expiresAt)}.`));
  blocks.push(
    ...beforeAfterBlocks({
      rows: input.rows,
      page,
      totalRows: input.summary.total,
      names: input.names,
      recordUrl: input.recordUrl,
      prevActionId: ACTION.reviewPrev,
      nextActionId: ACTION.reviewNext,
    }),
  );

  if (blocked) {
    blocks.push(section(`:information_source: ${escapeTruncate(oneLine(blocked), 500)}`));
    return modal({
      callbackId: CALLBACK.reviewModal,
      title: 'Review request',
      close: 'Close',
      privateMetadata: encodePagedRequest({ requestId: request.id, page }),
      blocks,
    });
  }

  const decision: InputBlock[] = [
    {
      type: 'input',
      block_id: REVIEW_BLOCK.decision,
      label: plain('Decision'),
      element: { type: 'radio_buttons', action_id: ACTION.reviewDecision, options: [APPROVE, REJECT] },
    },
    {
      type: 'input',
      block_id: REVIEW_BLOCK.comment,
      optional: true,
      label: plain('Comment'),
      hint: plain(
        'Required when you reject: tell the requester why. Shown on the request and in the audit log.',
      ),
      element: {
        type: 'plain_text_input',
        action_id: ACTION.reviewComment,
        multiline: true,
        max_length: 1000,
      },
    },
  ];
  return modal({
    callbackId: CALLBACK.reviewModal,
    title: 'Review request',
    submit: 'Submit decision',
    close: 'Cancel',
    privateMetadata: encodePagedRequest({ requestId: request.id, page }),
    blocks: [...blocks, ...decision],
  });
}

/**
 * Submission of the assign modal. Checked inline (`response_action: errors`) when Zoho answers
 * within the ack window; otherwise the modal turns into "checking…" and is updated with the
 * outcome, because view submissions must be acked within 3 s.
 */
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { isZohoModule } from '../../core/records/index.js';
import { type SingleRefusal, startSingle } from '../../core/requests/index.js';
import { explainZohoError } from '../../core/zoho/explain.js';
import { LATE, withinAckWindow } from '../../slack/ack-window.js';
import { type BotServices, singleDeps } from '../../slack/context.js';
import { ACTION, ASSIGN_BLOCK, ASSIGN_REPLACE_VALUE, decodeModalOrigin } from '../../views/ids.js';
import { buildErrorModal, buildLoadingModal } from '../../views/modal.js';
import { refusalMessage } from '../../views/single-refusal.js';
import { zohoWaitPlainText } from '../../views/zoho-wait.js';

type ViewArgs = AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>;

const TITLE = 'Assign territories';

export function assignModalSubmit(services: BotServices) {
  return async ({ ack, view, body, client }: ViewArgs): Promise<void> => {
    const values = view.state.values;
    const recordText = values[ASSIGN_BLOCK.record]?.[ACTION.assignRecord]?.value?.trim() ?? '';
    const moduleValue = values[ASSIGN_BLOCK.module]?.[ACTION.assignModule]?.selected_option?.value;
    const territoryIds = (
      values[ASSIGN_BLOCK.territories]?.[ACTION.territorySearch]?.selected_options ?? []
    ).map((o) => o.value);
    const replace = (values[ASSIGN_BLOCK.replace]?.[ACTION.assignReplace]?.selected_options ?? []).some(
      (o) => o.value === ASSIGN_REPLACE_VALUE,
    );
    const origin = decodeModalOrigin(view.private_metadata);
    const userId = body.user.id;

    if (territoryIds.length === 0) {
      await ack({
        response_action: 'errors',
        errors: { [ASSIGN_BLOCK.territories]: 'Pick at least one territory.' },
      });
      return;
    }
    const work = startSingle(singleDeps(services), {
      action: replace ? 'move' : 'assign',
      recordText,
      territories: territoryIds,
      defaultModule: moduleValue && isZohoModule(moduleValue) ? moduleValue : undefined,
      requesterId: userId,
      originChannelId: origin.channelId,
    }).then(
      (result) => ({ result }),
      (error: unknown) => ({ error }),
    );
    const first = await withinAckWindow(work);

    if (first !== LATE) {
      if ('error' in first) {
        await ack({
          response_action: 'errors',
          errors: { [ASSIGN_BLOCK.record]: explainZohoError(first.error).problem },
        });
        return;
      }
      if (!first.result.ok) {
        if (isWhoRefusal(first.result)) {
          await ack({ response_action: 'update', view: whoRefusalModal(first.result) });
          return;
        }
        await ack({ response_action: 'errors', errors: inlineErrors(first.result) });
        return;
      }
      if (first.result.pendingApproval) {
        await ack({ response_action: 'update', view: pendingModal(first.result.reasons) });
        return;
      }
      if (first.result.waiting) {
        await ack({
          response_action: 'update',
          view: buildLoadingModal({ title: TITLE, message: zohoWaitPlainText(first.result.waiting) }),
        });
        return;
      }
      await ack();
      return;
    }

    await ack({
      response_action: 'update',
      view: buildLoadingModal({ title: 'Assign territories', message: 'Checking the record in Zoho…' }),
    });
    const outcome = await work;
    const viewId = view.id;
    if ('error' in outcome) {
      await client.views.update({
        view_id: viewId,
        view: buildErrorModal({ ...explainZohoError(outcome.error) }),
      });
      return;
    }
    if (!outcome.result.ok && isWhoRefusal(outcome.result)) {
      await client.views.update({ view_id: viewId, view: whoRefusalModal(outcome.result) });
      return;
    }
    if (!outcome.result.ok) {
      const message = refusalMessage(outcome.result);
      await client.views.update({
        view_id: viewId,
        view: buildErrorModal({
          problem: message.text,
          action: 'Close this and try again with /territory assign.',
        }),
      });
      return;
    }
    await client.views.update({
      view_id: viewId,
      view: outcome.result.pendingApproval
        ? pendingModal(outcome.result.reasons)
        : buildLoadingModal({
            title: TITLE,
            message: outcome.result.waiting
              ? zohoWaitPlainText(outcome.result.waiting)
              : 'Sent to Zoho. The result will be posted in a thread under the request message.',
          }),
    });
  };
}

type WhoRefusal = Extract<
  SingleRefusal,
  { reason: 'not_mapped' | 'not_requester' | 'unavailable' | 'not_submitted' }
>;

/** Refusals about the person (who may ask), not about the form's inputs. */
function isWhoRefusal(result: SingleRefusal): result is WhoRefusal {
  return (
    result.reason === 'not_mapped' ||
    result.reason === 'not_requester' ||
    result.reason === 'unavailable' ||
    result.reason === 'not_submitted'
  );
}

function whoRefusalModal(result: WhoRefusal) {
  return buildErrorModal({
    title: 'Assign territories',
    problem: 'Nothing was changed.',
    action: result.message,
  });
}

function pendingModal(reasons: readonly string[]) {
  return buildLoadingModal({
    title: 'Assign territories',
    message: `Sent for approval: ${reasons.join('; ')}. You will hear in the request's thread when it is decided.`,
  });
}

/** Which input each refusal belongs under. */
function inlineErrors(result: SingleRefusal): Record<string, string> {
  const clip = (s: string) => (s.length > 480 ? `${s.slice(0, 479)}…` : s);
  switch (result.reason) {
    case 'bad_record':
    case 'not_found':
      return { [ASSIGN_BLOCK.record]: clip(result.message) };
    default:
      return { [ASSIGN_BLOCK.territories]: clip(result.message) };
  }
}

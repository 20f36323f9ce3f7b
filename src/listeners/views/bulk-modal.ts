/**
 * The bulk modal's submission (DESIGN.md §2-§3; `/territory bulk` opens it in commands/bulk.ts).
 * The list is checked inline — every bad line named with its number via `response_action:
 * errors` — then the modal turns into "preparing preview…" while core/requests storeDraft reads
 * the records from Zoho, plans and stores them; the stored draft is shown as the paged preview
 * (views.update), whose submit is handled in bulk-preview.ts.
 */
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import {
  type BulkValidation,
  type ValidatedEntry,
  validateBulkList,
} from '../../core/assignment/bulk-request.js';
import { isZohoModule } from '../../core/records/index.js';
import { checkMayUseRecords, storeDraft } from '../../core/requests/index.js';
import { explainZohoError } from '../../core/zoho/explain.js';
import { LATE, withinAckWindow } from '../../slack/ack-window.js';
import { renderBulkPreview } from '../../slack/bulk-preview.js';
import { type BotServices, gateDeps } from '../../slack/context.js';
import { attachedFileId, CsvDownloadError, downloadCsv } from '../../slack/file-download.js';
import { section } from '../../views/blocks.js';
import { buildBulkModal } from '../../views/bulk-modal.js';
import { ACTION, BULK_BLOCK, decodeModalOrigin } from '../../views/ids.js';
import { buildInlineErrors, summarizeLineErrors } from '../../views/inline-errors.js';
import { buildErrorModal, buildLoadingModal } from '../../views/modal.js';
import { escapeMrkdwn } from '../../views/text.js';

type ViewArgs = AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>;

const TITLE = 'Bulk assign';
/** Lists bigger than this are parsed only after the ack (Slack caps a paste at 3,000 characters). */
const INLINE_CHECK_BYTES = 64 * 1024;

type Checked =
  | { kind: 'invalid'; errors: Record<string, string>; summary: string }
  | { kind: 'valid'; entries: ValidatedEntry[]; notes: string[]; source: 'paste' | 'csv' }
  | { kind: 'error'; problem: string; action: string };

export function bulkModalSubmit(services: BotServices) {
  return async ({ ack, view, body, client }: ViewArgs): Promise<void> => {
    const values = view.state.values;
    const paste = values[BULK_BLOCK.paste]?.[ACTION.bulkPaste]?.value ?? '';
    const fileId = attachedFileId(values[BULK_BLOCK.file]?.[ACTION.bulkFile]?.files);
    const defaultTerritoryId =
      values[BULK_BLOCK.defaultTerritory]?.[ACTION.territorySearch]?.selected_option?.value ?? null;
    const moduleValue = values[BULK_BLOCK.module]?.[ACTION.bulkModule]?.selected_option?.value;
    const reason = (values[BULK_BLOCK.reason]?.[ACTION.bulkReason]?.value ?? '').trim();
    const origin = decodeModalOrigin(view.private_metadata);
    const userId = body.user.id;

    if (reason === '') {
      await ack({
        response_action: 'errors',
        errors: { [BULK_BLOCK.reason]: 'Say why these records change territory (the approver sees it).' },
      });
      return;
    }

    // Who may ask, before the CSV is read or any record (DESIGN.md §4).
    const gate = await checkMayUseRecords(gateDeps(services), userId);
    if (!gate.ok) {
      await ack({
        response_action: 'update',
        view: buildErrorModal({ title: TITLE, problem: gate.message, action: 'Nothing was stored.' }),
      });
      return;
    }

    // A short list is checked at once so its problems show inline under the field; a big one
    // (a CSV of up to 5 MB) is parsed only once the ack has gone ("checking the list…").
    let acked!: () => void;
    const afterAck = new Promise<void>((resolve) => {
      acked = resolve;
    });
    const work = check(services, client, {
      paste,
      fileId,
      defaultTerritoryId,
      defaultModule: moduleValue && isZohoModule(moduleValue) ? moduleValue : null,
      afterAck,
    });
    const first = await withinAckWindow(work);

    let checked: Checked;
    if (first === LATE) {
      await ack({
        response_action: 'update',
        view: buildLoadingModal({ title: TITLE, message: 'Checking the list…' }),
      });
      acked();
      checked = await work;
    } else {
      checked = first;
      if (checked.kind === 'invalid') {
        await ack({ response_action: 'errors', errors: checked.errors });
        return;
      }
      await ack({
        response_action: 'update',
        view: buildLoadingModal({
          title: TITLE,
          message:
            checked.kind === 'valid'
              ? `Preparing the preview: reading ${checked.entries.length} records from Zoho…`
              : 'Checking the list…',
        }),
      });
    }

    const viewId = view.id;
    if (checked.kind === 'invalid') {
      // Inline errors are only possible in the ack: show the form again, filled in, with the problems on top.
      const territory = defaultTerritoryId
        ? (await services.catalog.names()).get(defaultTerritoryId)
        : undefined;
      const again = buildBulkModal({
        channelId: origin.channelId,
        maxRecords: services.config.policy.maxRecordsPerRequest,
        approvalThreshold: services.policy.approvalThreshold,
        initial: {
          paste,
          reason,
          module: moduleValue && isZohoModule(moduleValue) ? moduleValue : null,
          defaultTerritory:
            defaultTerritoryId && territory ? { id: defaultTerritoryId, name: territory } : null,
        },
      });
      const problems = section(
        `:warning: *The list has problems; nothing was stored.* ${escapeMrkdwn(checked.summary)}`.slice(
          0,
          2900,
        ),
      );
      await update(client, viewId, { ...again, blocks: [problems, ...again.blocks].slice(0, 100) });
      return;
    }
    if (checked.kind === 'error') {
      await update(
        client,
        viewId,
        buildErrorModal({ title: TITLE, problem: checked.problem, action: checked.action }),
      );
      return;
    }
    try {
      const stored = await storeDraft(
        {
          zoho: services.zoho,
          catalog: services.catalog,
          store: services.store,
          now: () => services.clock.now(),
          approvals: services.approvals,
          access: services.access,
        },
        checked.entries,
        {
          requesterId: userId,
          originChannelId: origin.channelId,
          reason,
          source: checked.source,
          notes: checked.notes,
        },
      );
      if (!stored.ok) {
        await update(
          client,
          viewId,
          buildErrorModal({ title: TITLE, problem: stored.message, action: 'Nothing was stored.' }),
        );
        return;
      }
      await update(client, viewId, await renderBulkPreview(services, stored.request, 0));
    } catch (err) {
      services.logger.warn({ err, userId }, 'preparing the bulk preview failed');
      await update(client, viewId, buildErrorModal({ title: TITLE, ...explainZohoError(err) }));
    }
  };
}

async function check(
  services: BotServices,
  client: WebClient,
  input: {
    paste: string;
    fileId: string | null;
    defaultTerritoryId: string | null;
    defaultModule: Parameters<typeof validateBulkList>[1]['defaultModule'];
    /** Resolves once the submission was acked with "checking…". */
    afterAck: Promise<void>;
  },
): Promise<Checked> {
  let csv: Buffer | null = null;
  if (input.fileId) {
    try {
      const token = services.config.slack.botToken ?? '';
      csv = (await downloadCsv(client, token, input.fileId, { slackApiUrl: services.config.slack.apiUrl }))
        .content;
    } catch (err) {
      services.logger.warn({ err, fileId: input.fileId }, 'downloading the bulk CSV failed');
      const message =
        err instanceof CsvDownloadError
          ? err.message
          : 'The file could not be read from Slack; attach it again.';
      return { kind: 'invalid', errors: { [BULK_BLOCK.file]: message }, summary: message };
    }
  }
  if ((csv?.length ?? 0) > INLINE_CHECK_BYTES || input.paste.length > INLINE_CHECK_BYTES)
    await input.afterAck;
  let result: BulkValidation;
  try {
    result = await validateBulkList(
      { catalog: services.catalog },
      {
        text: input.paste,
        csv,
        defaultModule: input.defaultModule,
        defaultTerritoryId: input.defaultTerritoryId,
        maxRecords: services.config.policy.maxRecordsPerRequest,
      },
    );
  } catch (err) {
    services.logger.warn({ err }, 'checking the bulk list failed');
    return { kind: 'error', ...explainZohoError(err) };
  }
  if (result.ok)
    return { kind: 'valid', entries: result.entries, notes: result.notes, source: result.source };

  // Line errors go under the input they came from; a whole-list problem goes first.
  const listBlock =
    result.source === 'csv' || (result.source === null && input.fileId) ? BULK_BLOCK.file : BULK_BLOCK.paste;
  const errors = buildInlineErrors({
    fields: {
      [listBlock]: result.listError,
      [BULK_BLOCK.defaultTerritory]: result.territoryError,
    },
    lines: result.lineErrors,
    linesBlockId: listBlock,
  });
  const summary = [
    result.listError,
    result.territoryError,
    result.lineErrors.length > 0 ? summarizeLineErrors(result.lineErrors, 1200) : null,
  ]
    .filter((s): s is string => !!s)
    .join(' ');
  return { kind: 'invalid', errors, summary };
}

async function update(client: WebClient, viewId: string, view: ModalView) {
  await client.views.update({ view_id: viewId, view });
}

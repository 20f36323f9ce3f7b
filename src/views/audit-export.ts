/** The ephemeral answer to `/territory audit`: where the file went, how much it holds, or why not. */
import type { AuditExportResult } from '../core/audit/index.js';
import { context, type SlackMessage, section } from './blocks.js';
import { buildErrorMessage } from './errors.js';
import { formatCount, plural } from './text.js';

export function buildAuditExportMessage(result: AuditExportResult): SlackMessage {
  if (!result.ok) {
    return buildErrorMessage({
      problem: result.problem,
      action:
        'Try `/territory audit`, `/territory audit Leads/<id>`, `/territory audit @name` or `/territory audit since 2026-01-31`.',
    });
  }
  const scope =
    result.scope === 'own' ? ' Only your own requests and the records they touched are included.' : '';
  if (result.rows === 0) {
    const text = `Nothing to export for ${result.filterLabel}.${scope}`;
    return { text, blocks: [section(text)] };
  }
  const capped = result.capped
    ? ` The file stops at ${formatCount(result.maxRows)} rows: narrow it with a record, a person or \`since <date>\` for the rest.`
    : '';
  const text = `I sent you the audit trail for ${result.filterLabel} in our DM: \`${result.filename}\`, ${plural(result.rows, 'row')}.${capped}`;
  return {
    text,
    blocks: [
      section(text),
      context(
        `One row per record of each request: who asked, who decided, what changed in Zoho, the outcome.${scope}`,
      ),
    ],
  };
}

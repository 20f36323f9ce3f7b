/**
 * `ack({ response_action: 'errors', errors })` maps an input block_id to a message shown under
 * that input. With hundreds of bad lines the message must stay short, so the first few are
 * named and the rest counted ("Line 4: …; Line 9: …; and 37 more").
 */
import { oneLine, truncate } from './text.js';

export interface LineError {
  lineNo: number;
  message: string;
}

/** Slack does not document a limit for these messages; keep them readable under an input. */
export const INLINE_ERROR_MAX = 500;

export function summarizeLineErrors(errors: readonly LineError[], maxChars = INLINE_ERROR_MAX): string {
  const sorted = [...errors].sort((a, b) => a.lineNo - b.lineNo);
  const parts: string[] = [];
  let used = 0;
  for (let i = 0; i < sorted.length; i++) {
    const e = sorted[i]!;
    const part = `Line ${e.lineNo}: ${truncate(oneLine(e.message), 120)}`;
    const left = sorted.length - i - 1;
    // Room for this part, the separator and a worst-case "; and N more" after it.
    const tail = left > 0 ? `; and ${left} more`.length : 0;
    if (used + (parts.length > 0 ? 2 : 0) + part.length + tail > maxChars && parts.length > 0) break;
    parts.push(part);
    used += (parts.length > 1 ? 2 : 0) + part.length;
  }
  const rest = sorted.length - parts.length;
  const text = parts.join('; ') + (rest > 0 ? `; and ${rest} more` : '');
  return truncate(text, maxChars);
}

/**
 * The `errors` object: field messages by block_id, plus the line errors of a pasted list or
 * CSV summarised under `linesBlockId`.
 */
export function buildInlineErrors(input: {
  fields?: Readonly<Record<string, string | null | undefined>>;
  lines?: readonly LineError[];
  linesBlockId?: string;
}): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const [blockId, message] of Object.entries(input.fields ?? {})) {
    if (message) errors[blockId] = truncate(oneLine(message), INLINE_ERROR_MAX);
  }
  if (input.lines && input.lines.length > 0 && input.linesBlockId) {
    const summary = summarizeLineErrors(input.lines);
    errors[input.linesBlockId] = errors[input.linesBlockId]
      ? truncate(`${errors[input.linesBlockId]} ${summary}`, INLINE_ERROR_MAX)
      : summary;
  }
  return errors;
}

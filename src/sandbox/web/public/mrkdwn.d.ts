/** Types of mrkdwn.js (a browser module served as is) for the tests that import it. */
export interface MrkdwnContext {
  userName(id: string): string;
  channelName(id: string): string;
}
export function escapeHtml(s: string): string;
export function formatSlackDate(unix: string | number, format: string): string | null;
export function mrkdwn(text: string | null | undefined, ctx: MrkdwnContext): string;
export function textObject(
  obj: { type: string; text: string; verbatim?: boolean } | string | null,
  ctx: MrkdwnContext,
): string;
export function plainText(obj: { text?: string } | string | null): string;

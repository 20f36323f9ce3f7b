/**
 * Text helpers shared by the builders: mrkdwn escaping of user-provided text, length-safe
 * truncation, mentions and Slack date tokens. Slack counts limits in characters of the JSON
 * string we send, after escaping, so truncation happens on the escaped text.
 */

const ELLIPSIS = '…';

/**
 * Escapes the three characters Slack's mrkdwn treats as control characters (Slack docs,
 * "Formatting text for app surfaces": escape &, <, >). This also neutralises `<!channel>`,
 * `<@U…>` and `<url|label>` smuggled in user text.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/[&<>]/g, (ch) => (ch === '&' ? '&amp;' : ch === '<' ? '&lt;' : '&gt;'));
}

/** Cuts `text` to at most `max` UTF-16 units, ending in an ellipsis, never splitting a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  let cut = max - ELLIPSIS.length;
  if (cut > 0 && isHighSurrogate(text.charCodeAt(cut - 1))) cut -= 1;
  return text.slice(0, Math.max(cut, 0)) + ELLIPSIS;
}

/**
 * Truncates mrkdwn without leaving half a token: a cut inside `<@U…>`, `<url|label>` or
 * `&amp;` would render as garbage or a broken link, so the cut moves before the token.
 */
export function truncateMrkdwn(text: string, max: number): string {
  if (text.length <= max) return text;
  let kept = truncate(text, max).slice(0, -ELLIPSIS.length);
  const lt = kept.lastIndexOf('<');
  if (lt >= 0 && kept.indexOf('>', lt) < 0) kept = kept.slice(0, lt);
  const amp = kept.lastIndexOf('&');
  if (amp >= 0 && kept.indexOf(';', amp) < 0) kept = kept.slice(0, amp);
  return kept + ELLIPSIS;
}

/**
 * Escapes then truncates to `max` characters without cutting an entity (`&amp;`) in half:
 * counts each source character at its escaped width.
 */
export function escapeTruncate(text: string, max: number): string {
  // Escaping only lengthens text, so characters past `max` can never be kept.
  const head = text.length > max + 1 ? text.slice(0, max + 1) : text;
  const escaped = escapeMrkdwn(head);
  if (head === text && escaped.length <= max) return escaped;
  const budget = max - ELLIPSIS.length;
  let out = '';
  for (const ch of head) {
    const piece = ch === '&' ? '&amp;' : ch === '<' ? '&lt;' : ch === '>' ? '&gt;' : ch;
    if (out.length + piece.length > budget) break;
    out += piece;
  }
  return out + ELLIPSIS;
}

/** Removes line breaks so a value stays on its own line in a packed list. */
export function oneLine(text: string): string {
  return text.replace(/[\r\n\t]+/g, ' ').trim();
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** `<@U123>` for a well-formed Slack user id; anything else is shown escaped, never as a link. */
export function mention(userId: string): string {
  return /^[UW][A-Z0-9]{2,40}$/.test(userId) ? `<@${userId}>` : escapeMrkdwn(userId);
}

/** `<#C123>` for a well-formed channel id. */
export function channelMention(channelId: string): string {
  return /^[CGD][A-Z0-9]{2,40}$/.test(channelId) ? `<#${channelId}>` : escapeMrkdwn(channelId);
}

/** UTC fallback used where Slack cannot render a date token (notifications, old clients). */
export function utcTimestamp(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/**
 * Slack date token: rendered in the reader's own time zone, with a UTC fallback
 * (docs: "Formatting text": `<!date^epoch^{date_short_pretty} at {time}|fallback>`).
 */
export function slackDate(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  return `<!date^${seconds}^{date_short_pretty} at {time}|${utcTimestamp(ms)}>`;
}

/** "1 record", "2 records". */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${formatCount(count)} ${count === 1 ? singular : pluralForm}`;
}

/** Thousands separators without locale surprises: 10000 -> "10,000". */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Human duration for short spans: "45 s", "12 min", "3 h", "2 days". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.round(min / 60);
  if (h < 48) return `${h} h`;
  return plural(Math.round(h / 24), 'day');
}

// Slack mrkdwn to HTML: *bold*, _italic_, ~strike~, `code`, ```pre```, > quotes, and the <...>
// tokens Slack apps send: <@U…>, <#C…|name>, <!subteam^S…>, <!here>, <!date^…|fallback>, <url|label>.
// Text arrives with Slack's three escapes (&amp; &lt; &gt;); everything else is escaped here.

export function escapeHtml(s) {
  return String(s).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
  );
}

function unslack(s) {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

function ordinal(n) {
  const s = ['th', 'st', 'nd', 'rd'];
  const v = n % 100;
  return n + (s[(v - 20) % 10] || s[v] || s[0]);
}

function pretty(d, fallback) {
  const today = new Date();
  const day = (x) => new Date(x.getFullYear(), x.getMonth(), x.getDate()).getTime();
  const diff = Math.round((day(d) - day(today)) / 86400000);
  if (diff === 0) return 'Today';
  if (diff === -1) return 'Yesterday';
  if (diff === 1) return 'Tomorrow';
  return fallback;
}

function time(d, secs) {
  let h = d.getHours();
  const ampm = h >= 12 ? 'PM' : 'AM';
  h = h % 12 || 12;
  const mm = String(d.getMinutes()).padStart(2, '0');
  return `${h}:${mm}${secs ? `:${String(d.getSeconds()).padStart(2, '0')}` : ''} ${ampm}`;
}

function ago(d) {
  const s = Math.round((Date.now() - d.getTime()) / 1000);
  const abs = Math.abs(s);
  const unit =
    abs < 60
      ? [abs, 'second']
      : abs < 3600
        ? [Math.round(abs / 60), 'minute']
        : abs < 86400
          ? [Math.round(abs / 3600), 'hour']
          : [Math.round(abs / 86400), 'day'];
  const txt = `${unit[0]} ${unit[1]}${unit[0] === 1 ? '' : 's'}`;
  return s >= 0 ? `${txt} ago` : `in ${txt}`;
}

/** Slack's <!date^unix^format|fallback> tokens, in the viewer's time zone. */
export function formatSlackDate(unix, format) {
  const d = new Date(Number(unix) * 1000);
  if (Number.isNaN(d.getTime())) return null;
  const dateNum = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  const date = `${MONTHS[d.getMonth()]} ${ordinal(d.getDate())}, ${d.getFullYear()}`;
  const dateShort = `${MONTHS[d.getMonth()].slice(0, 3)} ${d.getDate()}, ${d.getFullYear()}`;
  const dateLong = `${DAYS[d.getDay()]}, ${date}`;
  const tokens = {
    date_num: dateNum,
    date,
    date_short: dateShort,
    date_long: dateLong,
    date_pretty: pretty(d, date),
    date_short_pretty: pretty(d, dateShort),
    date_long_pretty: pretty(d, dateLong),
    time: time(d, false),
    time_secs: time(d, true),
    ago: ago(d),
  };
  return format.replace(/\{(\w+)\}/g, (m, k) => (k in tokens ? tokens[k] : m));
}

/** One <...> token as HTML. */
function token(raw, ctx) {
  const [body, label] = splitOnce(raw, '|');
  if (body.startsWith('@')) {
    const id = body.slice(1);
    return `<span class="mention" data-user="${escapeHtml(id)}">@${escapeHtml(label || ctx.userName(id))}</span>`;
  }
  if (body.startsWith('#')) {
    const id = body.slice(1);
    return `<span class="mention channel">#${escapeHtml(label || ctx.channelName(id))}</span>`;
  }
  if (body.startsWith('!')) {
    const [kind, ...rest] = body.slice(1).split('^');
    if (kind === 'date') {
      const formatted = formatSlackDate(rest[0], rest[1] || '{date}');
      const text = formatted ?? label ?? '';
      const inner = `<time class="date" title="${escapeHtml(label ?? '')}">${escapeHtml(text)}</time>`;
      return rest[2] ? `<a href="${escapeHtml(rest[2])}" target="_blank" rel="noopener">${inner}</a>` : inner;
    }
    if (kind === 'subteam') return `<span class="mention">${escapeHtml(label || `@${rest[0]}`)}</span>`;
    if (kind === 'here' || kind === 'channel' || kind === 'everyone')
      return `<span class="mention">@${kind}</span>`;
    return escapeHtml(label || body);
  }
  if (/^(https?:|mailto:)/i.test(body)) {
    return `<a href="${escapeHtml(body)}" target="_blank" rel="noopener">${escapeHtml(label || body.replace(/^mailto:/, ''))}</a>`;
  }
  return escapeHtml(`<${raw}>`);
}

function splitOnce(s, sep) {
  const i = s.indexOf(sep);
  return i < 0 ? [s, ''] : [s.slice(0, i), s.slice(i + 1)];
}

/** Emoji shortcodes Slack shows as pictures; others stay as typed. */
const EMOJI = {
  white_check_mark: '\u2705',
  heavy_check_mark: '\u2714\uFE0F',
  x: '\u274C',
  warning: '\u26A0\uFE0F',
  rotating_light: '\u{1F6A8}',
  hourglass: '\u231B',
  hourglass_flowing_sand: '\u23F3',
  large_green_circle: '\u{1F7E2}',
  large_yellow_circle: '\u{1F7E1}',
  red_circle: '\u{1F534}',
  white_circle: '\u26AA',
  information_source: '\u2139\uFE0F',
  bell: '\u{1F514}',
  no_bell: '\u{1F515}',
  zzz: '\u{1F4A4}',
  mag: '\u{1F50D}',
  lock: '\u{1F512}',
  inbox_tray: '\u{1F4E5}',
  arrows_counterclockwise: '\u{1F504}',
  no_entry: '\u26D4',
  no_entry_sign: '\u{1F6AB}',
  question: '\u2753',
  eyes: '\u{1F440}',
  tada: '\u{1F389}',
  thumbsup: '\u{1F44D}',
  '+1': '\u{1F44D}',
  clipboard: '\u{1F4CB}',
  memo: '\u{1F4DD}',
  stopwatch: '\u23F1\uFE0F',
  wrench: '\u{1F527}',
  link: '\u{1F517}',
  heavy_minus_sign: '\u2796',
  arrow_right: '\u27A1\uFE0F',
};

function emoji(s) {
  return s.replace(/:([a-z0-9_+-]+):/g, (m, name) => EMOJI[name] ?? m);
}

/** Inline formatting of one line: code spans and <...> tokens are held aside first. */
function inline(text, ctx) {
  const slots = [];
  const hold = (html) => `\uE000${slots.push(html) - 1}\uE000`;
  let s = text.replace(/`([^`\n]+)`/g, (_, code) => hold(`<code>${escapeHtml(unslack(code))}</code>`));
  s = s.replace(/<([^<>\n]+)>/g, (_, raw) => hold(token(unslack(raw), ctx)));
  s = emoji(escapeHtml(unslack(s)));
  const edge = '(^|[;\\s(\\[{"\'\\uE000>])';
  const end = '(?=$|[\\s).,;:!?\\]}"\'\\uE000<])';
  s = s.replace(new RegExp(`${edge}\\*([^*\\n]+?)\\*${end}`, 'g'), '$1<b>$2</b>');
  s = s.replace(new RegExp(`${edge}_([^_\\n]+?)_${end}`, 'g'), '$1<i>$2</i>');
  s = s.replace(new RegExp(`${edge}~([^~\\n]+?)~${end}`, 'g'), '$1<s>$2</s>');
  return s.replace(/\uE000(\d+)\uE000/g, (_, i) => slots[Number(i)]);
}

function lines(text, ctx) {
  return inline(text, ctx);
}

export function mrkdwn(text, ctx) {
  if (!text) return '';
  const chunks = String(text).split(/```([\s\S]*?)```/g);
  return chunks
    .map((chunk, i) => {
      if (i % 2 === 1) return `<pre>${escapeHtml(unslack(chunk.replace(/^\n/, '')))}</pre>`;
      const out = [];
      let quote = [];
      const flush = () => {
        if (quote.length) out.push(`<blockquote>${quote.join('<br>')}</blockquote>`);
        quote = [];
      };
      for (const line of chunk.split('\n')) {
        const q = /^(?:&gt;|>)\s?(.*)$/.exec(line);
        if (q) quote.push(lines(q[1], ctx));
        else {
          flush();
          out.push(lines(line, ctx));
        }
      }
      flush();
      return out
        .join('<br>')
        .replace(/<br>(<blockquote>)/g, '$1')
        .replace(/(<\/blockquote>)<br>/g, '$1');
    })
    .join('');
}

/** A text object (plain_text or mrkdwn) as HTML. */
export function textObject(obj, ctx) {
  if (!obj) return '';
  if (typeof obj === 'string') return mrkdwn(obj, ctx);
  if (obj.type === 'mrkdwn')
    return obj.verbatim ? escapeHtml(unslack(obj.text)).replace(/\n/g, '<br>') : mrkdwn(obj.text, ctx);
  return escapeHtml(obj.text ?? '').replace(/\n/g, '<br>');
}

export function plainText(obj) {
  if (!obj) return '';
  return typeof obj === 'string' ? obj : String(obj.text ?? '');
}

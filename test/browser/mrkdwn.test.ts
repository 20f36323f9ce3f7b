/** The page's mrkdwn renderer (src/sandbox/web/public/mrkdwn.js), as Slack formats app text. */
import { describe, expect, it } from 'vitest';
import { formatSlackDate, mrkdwn, textObject } from '../../src/sandbox/web/public/mrkdwn.js';

const ctx = {
  userName: (id: string) => ({ U0REP00001: 'Rita Rep' })[id] ?? id,
  channelName: (id: string) => ({ C0SALES001: 'sales' })[id] ?? id,
};

describe('mrkdwn', () => {
  it('formats bold, italics, strike and code, leaving words with underscores alone', () => {
    expect(mrkdwn('*bold* _it_ ~gone~ `a*b*c` snake_case_name', ctx)).toBe(
      '<b>bold</b> <i>it</i> <s>gone</s> <code>a*b*c</code> snake_case_name',
    );
  });

  it('formats around code spans and mentions (Slack bolds `*`code`*`)', () => {
    expect(mrkdwn('*`/territory show <record>`*', ctx)).toBe(
      '<b><code>/territory show &lt;record&gt;</code></b>',
    );
    expect(mrkdwn('*<@U0REP00001>*', ctx)).toBe(
      '<b><span class="mention" data-user="U0REP00001">@Rita Rep</span></b>',
    );
  });

  it('renders user, channel, group and broadcast mentions and links', () => {
    const html = mrkdwn(
      'hi <@U0REP00001> in <#C0SALES001> <#C0X|named> <!subteam^S1|@approvers> <!here> <https://crm.zoho.com/x?a=1&amp;b=2|Lead> <mailto:a@b.co>',
      ctx,
    );
    expect(html).toContain('>@Rita Rep</span>');
    expect(html).toContain('>#sales</span>');
    expect(html).toContain('>#named</span>');
    expect(html).toContain('>@approvers</span>');
    expect(html).toContain('>@here</span>');
    expect(html).toContain(
      '<a href="https://crm.zoho.com/x?a=1&amp;b=2" target="_blank" rel="noopener">Lead</a>',
    );
    expect(html).toContain('>a@b.co</a>');
  });

  it('escapes HTML once: Slack sends &amp; &lt; &gt;, anything else is text', () => {
    expect(mrkdwn('a &lt;b&gt; &amp; <script>x</script> "q"', ctx)).toBe(
      'a &lt;b&gt; &amp; &lt;script&gt;x&lt;/script&gt; &quot;q&quot;',
    );
    expect(mrkdwn('<javascript:alert(1)|click>', ctx)).not.toContain('href');
  });

  it('renders quotes, code blocks and line breaks', () => {
    expect(mrkdwn('&gt; quoted\n> also\nnext', ctx)).toBe('<blockquote>quoted<br>also</blockquote>next');
    expect(mrkdwn('```\n*not bold* <@U0REP00001>```', ctx)).toBe('<pre>*not bold* &lt;@U0REP00001&gt;</pre>');
    expect(mrkdwn('a\nb', ctx)).toBe('a<br>b');
  });

  it('turns emoji shortcodes Slack shows as pictures into characters', () => {
    expect(mrkdwn(':white_check_mark: Done :not_an_emoji:', ctx)).toBe('\u2705 Done :not_an_emoji:');
  });

  it('formats <!date^…> in the viewer time zone, with the fallback as title', () => {
    const ts = Math.floor(new Date(2026, 0, 5, 14, 7).getTime() / 1000);
    const html = mrkdwn(`<!date^${ts}^{date_short} at {time}|Jan 5, 2026>`, ctx);
    expect(html).toBe('<time class="date" title="Jan 5, 2026">Jan 5, 2026 at 2:07 PM</time>');
    expect(formatSlackDate(ts, '{date_num} {date} {date_long}')).toBe(
      '2026-01-05 January 5th, 2026 Monday, January 5th, 2026',
    );
    expect(mrkdwn('<!date^nope^{date}|the fallback>', ctx)).toContain('>the fallback</time>');
  });

  it('renders plain_text objects verbatim and mrkdwn ones formatted', () => {
    expect(textObject({ type: 'plain_text', text: '*x* <b>' }, ctx)).toBe('*x* &lt;b&gt;');
    expect(textObject({ type: 'mrkdwn', text: '*x*' }, ctx)).toBe('<b>x</b>');
    expect(textObject({ type: 'mrkdwn', text: '*x*', verbatim: true }, ctx)).toBe('*x*');
  });
});

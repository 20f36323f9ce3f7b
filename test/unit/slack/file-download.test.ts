/**
 * The bulk CSV download (issue 11 item 3): a timeout, a size cap counted while streaming, and
 * the bot token sent only to Slack's file host (or the emulator's own host, from SLACK_API_URL),
 * redirects included.
 */
import type { WebClient } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { allowedFileHosts, CsvDownloadError, downloadCsv } from '../../../src/slack/file-download.js';

const TOKEN = 'xoxb-secret';

function client(url: string, size?: number): WebClient {
  return {
    files: {
      info: async () => ({
        ok: true,
        file: { id: 'F1', name: 'list.csv', url_private: url, ...(size ? { size } : {}) },
      }),
    },
  } as unknown as WebClient;
}

interface Call {
  url: string;
  auth: string | null;
}

function fakeFetch(answer: (url: URL, calls: Call[], signal: AbortSignal) => Response | Promise<Response>) {
  const calls: Call[] = [];
  const f = (async (input: URL | string, init?: RequestInit) => {
    const url = new URL(String(input));
    calls.push({ url: url.toString(), auth: new Headers(init?.headers).get('authorization') });
    return answer(url, calls, init?.signal as AbortSignal);
  }) as typeof fetch;
  return { f, calls };
}

const SLACK = 'https://slack.com/api/';

describe('downloadCsv', () => {
  it('reads the file from files.slack.com with the token', async () => {
    const { f, calls } = fakeFetch(() => new Response('record\nLeads/1\n'));
    const got = await downloadCsv(client('https://files.slack.com/files-pri/T1-F1/list.csv'), TOKEN, 'F1', {
      slackApiUrl: SLACK,
      fetch: f,
    });
    expect(got.content.toString()).toBe('record\nLeads/1\n');
    expect(calls).toEqual([
      { url: 'https://files.slack.com/files-pri/T1-F1/list.csv', auth: `Bearer ${TOKEN}` },
    ]);
  });

  it('never sends the token to a host that is not Slack’s, nor follows a redirect there', async () => {
    const elsewhere = fakeFetch(() => new Response('x'));
    await expect(
      downloadCsv(client('https://evil.example/list.csv'), TOKEN, 'F1', {
        slackApiUrl: SLACK,
        fetch: elsewhere.f,
      }),
    ).rejects.toBeInstanceOf(CsvDownloadError);
    expect(elsewhere.calls).toEqual([]);

    const redirected = fakeFetch((url) =>
      url.host === 'files.slack.com'
        ? new Response(null, { status: 302, headers: { location: 'https://evil.example/steal' } })
        : new Response('stolen'),
    );
    await expect(
      downloadCsv(client('https://files.slack.com/f'), TOKEN, 'F1', {
        slackApiUrl: SLACK,
        fetch: redirected.f,
      }),
    ).rejects.toThrow(/not on a Slack file host/);
    expect(redirected.calls.map((c) => new URL(c.url).host)).toEqual(['files.slack.com']);
  });

  it('follows a redirect that stays on an allowed host', async () => {
    const { f, calls } = fakeFetch((url) =>
      url.pathname === '/a'
        ? new Response(null, { status: 302, headers: { location: '/b' } })
        : new Response('ok'),
    );
    const got = await downloadCsv(client('https://files.slack.com/a'), TOKEN, 'F1', {
      slackApiUrl: SLACK,
      fetch: f,
    });
    expect(got.content.toString()).toBe('ok');
    expect(calls.map((c) => c.url)).toEqual(['https://files.slack.com/a', 'https://files.slack.com/b']);
  });

  it('allows the emulator’s own host when SLACK_API_URL points at it, and only that one', () => {
    expect([...allowedFileHosts('http://127.0.0.1:4567/api/')]).toEqual([
      'files.slack.com',
      '127.0.0.1:4567',
    ]);
    expect([...allowedFileHosts(SLACK)]).toEqual(['files.slack.com']);
  });

  it('cuts a download off past the cap while streaming, whatever the file claims', async () => {
    let pulled = 0;
    const { f } = fakeFetch(
      () =>
        new Response(
          new ReadableStream({
            pull(controller) {
              pulled += 1;
              controller.enqueue(new Uint8Array(1024));
              if (pulled > 10_000) controller.close();
            },
          }),
        ),
    );
    await expect(
      downloadCsv(client('https://files.slack.com/big', 10), TOKEN, 'F1', {
        slackApiUrl: SLACK,
        fetch: f,
        maxBytes: 8 * 1024,
      }),
    ).rejects.toThrow(/larger than/);
    expect(pulled).toBeLessThan(20);
  });

  it('refuses at once when files.info already says the file is too big', async () => {
    const { f, calls } = fakeFetch(() => new Response('x'));
    await expect(
      downloadCsv(client('https://files.slack.com/big', 50 * 1024 * 1024), TOKEN, 'F1', {
        slackApiUrl: SLACK,
        fetch: f,
      }),
    ).rejects.toThrow(/larger than 5 MB/);
    expect(calls).toEqual([]);
  });

  it('gives up after the timeout with a sentence for people', async () => {
    const { f } = fakeFetch(
      (_url, _calls, signal) =>
        new Promise<Response>((_resolve, reject) => {
          signal.addEventListener('abort', () => reject(signal.reason));
        }),
    );
    await expect(
      downloadCsv(client('https://files.slack.com/slow'), TOKEN, 'F1', {
        slackApiUrl: SLACK,
        fetch: f,
        timeoutMs: 50,
      }),
    ).rejects.toThrow(/took too long/);
  });
});

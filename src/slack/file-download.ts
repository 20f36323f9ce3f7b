/**
 * The CSV attached to the bulk modal's file_input. The payload only names the file: its content
 * is read with files.info → url_private, fetched with the bot token (`Authorization: Bearer`),
 * as Slack serves private file URLs only to tokens of the workspace.
 */
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';

/** Far above 10,000 CSV lines; anything bigger is not a list of records. */
export const MAX_CSV_BYTES = 5 * 1024 * 1024;

const FileRef = z.object({ id: z.string().min(1) });
const FilesInfo = z.object({
  ok: z.literal(true),
  file: z.object({
    id: z.string(),
    name: z.string().optional(),
    size: z.number().optional(),
    url_private: z.string().url(),
    url_private_download: z.string().url().optional(),
  }),
});

export class CsvDownloadError extends Error {
  override readonly name = 'CsvDownloadError';
}

/** The first file id of a file_input state value, or null when none was attached. */
export function attachedFileId(files: unknown): string | null {
  if (!Array.isArray(files) || files.length === 0) return null;
  const parsed = FileRef.safeParse(files[0]);
  return parsed.success ? parsed.data.id : null;
}

/** A download that takes longer is abandoned (the person is told to attach the file again). */
export const DOWNLOAD_TIMEOUT_MS = 20_000;
/** Redirects followed, each only to an allowed host. */
const MAX_REDIRECTS = 3;

/**
 * Hosts the bot token may be sent to: Slack's file host, and the host of SLACK_API_URL when it
 * is not slack.com (the emulator serves its files on its own host). Nothing else ever sees it.
 */
export function allowedFileHosts(slackApiUrl: string): Set<string> {
  const hosts = new Set(['files.slack.com']);
  try {
    const api = new URL(slackApiUrl);
    if (api.hostname !== 'slack.com') hosts.add(api.host);
  } catch {
    // A malformed SLACK_API_URL is refused by config validation; only Slack's host stays allowed.
  }
  return hosts;
}

export interface DownloadOptions {
  /** Where the Web API is (config.slack.apiUrl): decides which file hosts may get the token. */
  slackApiUrl: string;
  signal?: AbortSignal;
  timeoutMs?: number;
  maxBytes?: number;
  /** For tests. */
  fetch?: typeof fetch;
}

export async function downloadCsv(
  client: WebClient,
  botToken: string,
  fileId: string,
  options: DownloadOptions,
): Promise<{ name: string; content: Buffer }> {
  const maxBytes = options.maxBytes ?? MAX_CSV_BYTES;
  const tooBig = () =>
    new CsvDownloadError(`The file is larger than ${Math.round(maxBytes / 1024 / 1024)} MB; split it.`);
  const info = FilesInfo.safeParse(await client.files.info({ file: fileId }));
  if (!info.success) throw new CsvDownloadError('Slack did not describe the attached file; attach it again.');
  const { file } = info.data;
  if ((file.size ?? 0) > maxBytes) throw tooBig();

  const timeout = AbortSignal.timeout(options.timeoutMs ?? DOWNLOAD_TIMEOUT_MS);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const hosts = allowedFileHosts(options.slackApiUrl);
  const doFetch = options.fetch ?? fetch;
  let url = file.url_private_download ?? file.url_private;
  let res: Response | null = null;
  try {
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const target = new URL(url);
      const secure =
        target.protocol === 'https:' || (target.protocol === 'http:' && target.host !== 'files.slack.com');
      if (!hosts.has(target.host) || !secure) {
        throw new CsvDownloadError('The file is not on a Slack file host; attach it again.');
      }
      // Redirects are followed by hand so the token never goes to another host.
      const r = await doFetch(target, {
        headers: { authorization: `Bearer ${botToken}` },
        redirect: 'manual',
        signal,
      });
      const location = r.headers.get('location');
      if (r.status >= 300 && r.status < 400 && location) {
        await r.body?.cancel();
        url = new URL(location, target).toString();
        continue;
      }
      res = r;
      break;
    }
    if (!res)
      throw new CsvDownloadError('Slack redirected the download too many times; attach the file again.');
    if (!res.ok)
      throw new CsvDownloadError(`Slack did not hand over the file (HTTP ${res.status}); attach it again.`);
    if (Number(res.headers.get('content-length') ?? 0) > maxBytes) {
      await res.body?.cancel();
      throw tooBig();
    }
    // Counted while streaming: a host that lies about the size is cut off at the cap.
    const chunks: Uint8Array[] = [];
    let total = 0;
    const reader = res.body?.getReader();
    if (reader) {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        total += value.byteLength;
        if (total > maxBytes) {
          await reader.cancel();
          throw tooBig();
        }
        chunks.push(value);
      }
    }
    return { name: file.name ?? fileId, content: Buffer.concat(chunks) };
  } catch (err) {
    if (err instanceof CsvDownloadError) throw err;
    if (signal.aborted && timeout.aborted) {
      throw new CsvDownloadError('Slack took too long to hand over the file; attach it again.');
    }
    throw err;
  }
}

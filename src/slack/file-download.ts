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

export async function downloadCsv(
  client: WebClient,
  botToken: string,
  fileId: string,
  signal?: AbortSignal,
): Promise<{ name: string; content: Buffer }> {
  const info = FilesInfo.safeParse(await client.files.info({ file: fileId }));
  if (!info.success) throw new CsvDownloadError('Slack did not describe the attached file; attach it again.');
  const { file } = info.data;
  if ((file.size ?? 0) > MAX_CSV_BYTES) {
    throw new CsvDownloadError(`The file is larger than ${MAX_CSV_BYTES / 1024 / 1024} MB; split it.`);
  }
  const res = await fetch(file.url_private_download ?? file.url_private, {
    headers: { authorization: `Bearer ${botToken}` },
    redirect: 'follow',
    ...(signal ? { signal } : {}),
  });
  if (!res.ok)
    throw new CsvDownloadError(`Slack did not hand over the file (HTTP ${res.status}); attach it again.`);
  const content = Buffer.from(await res.arrayBuffer());
  if (content.length > MAX_CSV_BYTES) {
    throw new CsvDownloadError(`The file is larger than ${MAX_CSV_BYTES / 1024 / 1024} MB; split it.`);
  }
  return { name: file.name ?? fileId, content };
}

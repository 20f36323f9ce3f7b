/**
 * Sends the audit CSV to a person: Slack's external upload (files.getUploadURLExternal, the
 * bytes POSTed to the upload URL, files.completeUploadExternal; done by @slack/web-api's
 * filesUploadV2) shared into their DM with the bot (conversations.open). Scope files:write.
 */
import type { WebClient } from '@slack/web-api';
import type { AuditFileSender } from '../core/audit/index.js';

export function slackAuditFiles(client: WebClient): AuditFileSender {
  return {
    async sendCsv(userId, file) {
      const dm = await client.conversations.open({ users: userId });
      const channelId = dm.channel?.id;
      if (!channelId) throw new Error(`conversations.open gave no channel for ${userId}`);
      await client.filesUploadV2({
        channel_id: channelId,
        file: Buffer.from(file.content, 'utf8'),
        filename: file.filename,
        title: file.title,
        initial_comment: file.comment,
      });
    },
  };
}

/** Workspace layer: trigger_ids and response_urls, with Slack's expiry and use limits. */
import { SlackApiError } from './errors.js';
import type { MintedTrigger } from './options.js';
import {
  type MessageInput,
  type Obj,
  RESPONSE_URL_MAX_USES,
  RESPONSE_URL_TTL_MS,
  type ResponseUrlContext,
  type ResponseUrlState,
  TRIGGER_TTL_MS,
  type TriggerState,
} from './workspace-core.js';
import { WorkspaceMessages } from './workspace-messages.js';

export class WorkspaceInteractions extends WorkspaceMessages {
  // ---------------------------------------------------------------- triggers and response urls

  mintTrigger(user: string): MintedTrigger {
    this.sweep();
    const issuedAt = this.clock.now();
    const n = this.nextSeq();
    const triggerId = `${Math.floor(issuedAt / 1000)}.${parseInt(n, 36)}.${Buffer.from(n).toString('hex')}`;
    this.triggers.set(triggerId, { user, issuedAt, used: false });
    return { triggerId, user, issuedAt };
  }

  /** Consumes a trigger_id: Slack's `invalid_trigger_id`, `expired_trigger_id`, `exchanged_trigger_id`. */
  protected consumeTrigger(triggerId: unknown): TriggerState {
    const t = typeof triggerId === 'string' ? this.triggers.get(triggerId) : undefined;
    if (!t) throw new SlackApiError('invalid_trigger_id');
    if (t.used) throw new SlackApiError('exchanged_trigger_id');
    if (this.clock.now() - t.issuedAt > TRIGGER_TTL_MS) throw new SlackApiError('expired_trigger_id');
    t.used = true;
    return t;
  }

  mintResponseUrl(ctx: ResponseUrlContext): string {
    this.sweep();
    const id = `${this.team.id}/${this.nextSeq()}/${Buffer.from(`${ctx.user}:${this.seq}`).toString('hex')}`;
    this.responseUrls.set(id, { ...ctx, id, issuedAt: this.clock.now(), uses: 0 });
    return `${this.opts.baseUrl()}/response/${id}`;
  }

  /**
   * A POST to a response_url: new ephemeral or in_channel message, `replace_original`,
   * `delete_original`. Answers Slack's 404 `expired_url` / `used_url` past 30 min / 5 uses.
   */
  respond(id: string, body: Obj): { status: number; result: string } {
    const r = this.responseUrls.get(id);
    if (!r) return { status: 404, result: 'invalid_url' };
    if (this.clock.now() - r.issuedAt > RESPONSE_URL_TTL_MS) return { status: 404, result: 'expired_url' };
    if (r.uses >= RESPONSE_URL_MAX_USES) return { status: 404, result: 'used_url' };
    r.uses += 1;
    const message: MessageInput = {};
    if (typeof body.text === 'string') message.text = body.text;
    if (body.blocks !== undefined) message.blocks = body.blocks;
    if (typeof body.thread_ts === 'string') message.thread_ts = body.thread_ts;
    const truthy = (v: unknown) => v === true || v === 'true';
    try {
      const original = this.originalOf(r);
      if (truthy(body.delete_original)) {
        if (!original) throw new SlackApiError('message_not_found');
        this.deleteOriginal(r, original);
        return { status: 200, result: 'deleted' };
      }
      // Without an original to replace, Slack posts the message as new.
      if (truthy(body.replace_original) && original) {
        this.replaceOriginal(r, original, message);
        return { status: 200, result: 'replaced' };
      }
      if (body.response_type === 'in_channel') {
        const m = this.postScoped(r.channel, message, 'response_url');
        r.lastPosted = { ts: m.ts, ephemeral: false };
        return { status: 200, result: 'in_channel' };
      }
      this.validateContent(message, true);
      const e = this.storeEphemeral(r.channel, r.user, message, 'response_url', r.id);
      r.lastPosted = { ts: e.ts, ephemeral: true };
      return { status: 200, result: 'ephemeral' };
    } catch (err) {
      if (err instanceof SlackApiError) return { status: 400, result: err.error };
      throw err;
    }
  }

  /**
   * The message replace_original/delete_original act on: the message holding the clicked element,
   * or for a slash command the last message its response_url (or ack) posted.
   */
  protected originalOf(r: ResponseUrlState): { ts: string; ephemeral: boolean } | undefined {
    if (r.messageTs) return { ts: r.messageTs, ephemeral: r.ephemeral === true };
    return r.lastPosted;
  }

  /** Records the ack message of a slash command as the original of its response_url. */
  noteResponsePost(url: string, ts: string, ephemeral: boolean): void {
    const r = this.responseUrls.get(url.slice(url.indexOf('/response/') + '/response/'.length));
    if (r) r.lastPosted = { ts, ephemeral };
  }

  protected replaceOriginal(
    r: ResponseUrlState,
    original: { ts: string; ephemeral: boolean },
    message: MessageInput,
  ): void {
    this.validateContent(message, true);
    const ts = original.ts;
    if (original.ephemeral) {
      const e = this.findEphemeral(r.user, r.channel, ts);
      if (!e) throw new SlackApiError('message_not_found');
      e.text = message.text ?? '';
      const blocks = this.prepareBlocks(message.blocks);
      if (blocks) e.blocks = blocks;
      else delete e.blocks;
      this.emit({ kind: 'ephemeral_updated', ephemeral: e });
      return;
    }
    const msg = this.findMessage(r.channel, ts);
    if (!msg) throw new SlackApiError('message_not_found');
    msg.text = message.text ?? '';
    const blocks = this.prepareBlocks(message.blocks);
    if (blocks) msg.blocks = blocks;
    else delete msg.blocks;
    msg.editCount += 1;
    msg.edited = { user: this.bot.userId, ts: this.nextTs() };
    this.emit({ kind: 'message_updated', message: msg });
  }

  protected deleteOriginal(r: ResponseUrlState, original: { ts: string; ephemeral: boolean }): void {
    if (original.ephemeral) {
      const before = this.ephemeralList.length;
      this.ephemeralList = this.ephemeralList.filter(
        (e) => !(e.user === r.user && e.channel === r.channel && e.ts === original.ts),
      );
      if (this.ephemeralList.length === before) throw new SlackApiError('message_not_found');
      this.emit({ kind: 'ephemeral_deleted', channel: r.channel, ts: original.ts, user: r.user });
      return;
    }
    const list = this.messages.get(r.channel) ?? [];
    const idx = list.findIndex((m) => m.ts === original.ts);
    if (idx < 0) throw new SlackApiError('message_not_found');
    const [msg] = list.splice(idx, 1);
    this.emit({
      kind: 'message_deleted',
      channel: r.channel,
      ts: original.ts,
      ...(msg?.thread_ts ? { thread_ts: msg.thread_ts } : {}),
    });
  }
}

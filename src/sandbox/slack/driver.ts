/**
 * Plays the Slack side of interactivity against the app's /slack/events: signed slash commands,
 * block_actions built from the blocks the app really posted, view submissions with Slack's
 * `state.values` shapes, view_closed and block_suggestion. Ack bodies are applied to the emulator
 * the way Slack applies them (modal errors/update/push/clear, ephemeral command answers).
 */
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { type Element, elementsOf, findElements, type LocatedElement } from './blocks.js';
import type {
  ActionResult,
  ClickInput,
  CommandInput,
  CommandResult,
  DriverResponse,
  SelectInput,
  SignOptions,
  SlackDriverOptions,
  SlackEmulator,
  SubmitInput,
  SubmitResult,
  SubmitValue,
  SuggestInput,
  SuggestResult,
} from './options.js';
import {
  actionItem,
  DriverInputError,
  initialStateValue,
  isEmptyState,
  stateValue,
  type ValueContext,
} from './payloads.js';
import type { EnvelopeType } from './socket-mode.js';
import type {
  Block,
  EmuChannel,
  EmuEphemeral,
  EmuMessage,
  EmuView,
  ViewStateValue,
  ViewStateValues,
} from './types.js';
import { fileObject, messageObject } from './web-api.js';

type Obj = Record<string, unknown>;

/** `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{raw body}` keyed with the signing secret. */
export function slackSignature(signingSecret: string, timestampSec: number, rawBody: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestampSec}:${rawBody}`).digest('hex')}`;
}

interface Located {
  located: LocatedElement;
  blocks: Block[];
  container: ActionResult['container'];
  message?: EmuMessage;
  ephemeral?: EmuEphemeral;
  view?: EmuView;
}

export class SlackDriver {
  private readonly emu: SlackEmulator;
  private readonly now: () => number;
  /** Options the app answered per action_id, so external selections carry the app's option text. */
  private readonly suggested = new Map<string, Obj[]>();
  private eventSeq = 0;
  /** The last body sent over HTTP, for `replay`. */
  private lastSent: { rawBody: string; contentType: string } | null = null;

  constructor(private readonly opts: SlackDriverOptions) {
    this.emu = opts.emulator;
    this.now = opts.now ?? Date.now;
  }

  // ---------------------------------------------------------------- transport

  /** Posts a raw body, signed (or mis-signed on request), and returns what the app answered. */
  async send(rawBody: string, contentType: string, sign: SignOptions = {}): Promise<DriverResponse> {
    const { eventsUrl, signingSecret } = this.opts;
    if (!eventsUrl || signingSecret === undefined)
      throw new DriverInputError('HTTP delivery needs eventsUrl and signingSecret');
    const ts = Math.floor(this.now() / 1000) - (sign.ageSeconds ?? 0);
    const secret = sign.forgeSignature ? `${signingSecret}-forged` : signingSecret;
    this.lastSent = { rawBody, contentType };
    const started = performance.now();
    const res = await fetch(eventsUrl, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        'x-slack-request-timestamp': String(ts),
        'x-slack-signature': slackSignature(secret, ts, rawBody),
        ...(sign.retryNum !== undefined ? { 'x-slack-retry-num': String(sign.retryNum) } : {}),
        ...(sign.retryReason !== undefined ? { 'x-slack-retry-reason': sign.retryReason } : {}),
      },
      body: rawBody,
    });
    const text = await res.text();
    const ms = performance.now() - started;
    let body: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('application/json') && text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    return { status: res.status, body, ms };
  }

  /**
   * Sends the last HTTP body again, freshly signed: Slack's retry of an event (pass `retryNum`,
   * which sets `X-Slack-Retry-Num`) or a replayed slash command (same trigger_id, same text).
   */
  async replay(sign: SignOptions = {}): Promise<DriverResponse> {
    if (!this.lastSent) throw new DriverInputError('nothing was sent over HTTP yet');
    return this.send(this.lastSent.rawBody, this.lastSent.contentType, sign);
  }

  /** Sends one Socket Mode envelope and reads the ack as an HTTP answer would be read. */
  private async sendEnvelope(type: EnvelopeType, payload: Obj): Promise<DriverResponse> {
    const started = performance.now();
    const ack = await this.emu.socketMode.deliver(type, payload);
    const ms = performance.now() - started;
    return ack.acked ? { status: 200, body: ack.payload ?? '', ms } : { status: 0, body: '', ms };
  }

  private get overSocket(): boolean {
    return this.opts.transport === 'socket';
  }

  /** Interactivity payloads travel form-encoded as `payload=<json>` (over Socket Mode: as the envelope's payload). */
  private sendPayload(payload: Obj, sign: SignOptions): Promise<DriverResponse> {
    if (this.overSocket) return this.sendEnvelope('interactive', payload);
    return this.send(
      new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
      'application/x-www-form-urlencoded',
      sign,
    );
  }

  private userObj(userId: string): Obj {
    const u = this.emu.user(userId);
    if (!u) throw new DriverInputError(`unknown user ${userId}`);
    return { id: u.id, username: u.name, name: u.name, team_id: this.emu.team.id };
  }

  private teamObj(): Obj {
    return { id: this.emu.team.id, domain: this.emu.team.domain };
  }

  private actionTs(): string {
    const now = this.now();
    return `${Math.floor(now / 1000)}.${String((now % 1000) * 1000).padStart(6, '0')}`;
  }

  // ---------------------------------------------------------------- slash commands

  /** A slash command typed by `user` in `channel`, with a fresh trigger_id and response_url. */
  async command(input: CommandInput): Promise<CommandResult> {
    this.userObj(input.user);
    const channel = this.channelOf(input.channel);
    const trigger = this.emu.mintTrigger(input.user);
    const responseUrl = this.emu.mintResponseUrl({ user: input.user, channel: channel.id });
    const user = this.emu.user(input.user)!;
    const form = new URLSearchParams({
      token: 'emulator-verification-token',
      team_id: this.emu.team.id,
      team_domain: this.emu.team.domain,
      channel_id: channel.id,
      channel_name:
        channel.kind === 'im' ? 'directmessage' : channel.kind === 'mpim' ? 'privategroup' : channel.name,
      user_id: user.id,
      user_name: user.name,
      command: input.command ?? '/territory',
      text: input.text ?? '',
      api_app_id: this.emu.bot.appId,
      is_enterprise_install: 'false',
      response_url: responseUrl,
      trigger_id: trigger.triggerId,
    });
    const res = this.overSocket
      ? await this.sendEnvelope('slash_commands', Object.fromEntries(form))
      : await this.send(form.toString(), 'application/x-www-form-urlencoded', input);
    const ackProblems =
      res.status === 200
        ? this.emu.applyCommandAck({ user: user.id, channel: channel.id, responseUrl }, res.body)
        : [];
    return { ...res, triggerId: trigger.triggerId, responseUrl, ackProblems };
  }

  // ---------------------------------------------------------------- Events API

  /** Delivers an Events API event (JSON `event_callback` envelope), e.g. `{ type: 'app_home_opened', user }`. */
  event(event: Obj & { type: string }, sign: SignOptions = {}): Promise<DriverResponse> {
    const now = this.now();
    this.eventSeq += 1;
    const envelope = {
      token: 'emulator-verification-token',
      team_id: this.emu.team.id,
      api_app_id: this.emu.bot.appId,
      event: { event_ts: this.actionTs(), ...event },
      type: 'event_callback',
      event_id: `Ev${String(this.eventSeq).padStart(9, '0')}`,
      event_time: Math.floor(now / 1000),
      authorizations: [
        {
          enterprise_id: null,
          team_id: this.emu.team.id,
          user_id: this.emu.bot.userId,
          is_bot: true,
          is_enterprise_install: false,
        },
      ],
      is_ext_shared_channel: false,
    };
    if (this.overSocket) return this.sendEnvelope('events_api', envelope);
    return this.send(JSON.stringify(envelope), 'application/json', sign);
  }

  /**
   * The user opens the app's Home tab: `app_home_opened` (tab `home`, the DM channel, and the
   * view last published for them, as Slack sends it), over HTTP or Socket Mode like any event.
   */
  openHome(user: string, sign: SignOptions = {}): Promise<DriverResponse> {
    if (!this.emu.user(user)) throw new DriverInputError(`unknown user ${user}`);
    const view = this.emu.homeView(user);
    return this.event(
      {
        type: 'app_home_opened',
        user,
        channel: this.emu.dmChannel(user),
        tab: 'home',
        ...(view ? { view: this.viewPayload(view, view.state.values) } : {}),
      },
      sign,
    );
  }

  // ---------------------------------------------------------------- element lookup

  private locate(
    target: {
      user: string;
      channel?: string | undefined;
      ts?: string | undefined;
      viewId?: string | undefined;
      actionId: string;
      blockId?: string | undefined;
    },
    pick?: (l: LocatedElement) => boolean,
  ): Located {
    const match = (blocks: Block[] | undefined) =>
      findElements(blocks ?? [], target.actionId, target.blockId).filter((l) => (pick ? pick(l) : true));
    const describe = () =>
      `action_id "${target.actionId}"${target.blockId ? ` in block "${target.blockId}"` : ''}`;

    if (target.viewId !== undefined || target.channel === undefined) {
      const view = target.viewId ? this.emu.view(target.viewId) : this.emu.viewStack(target.user).at(-1);
      if (!view) throw new DriverInputError(`no open view for ${target.user}`);
      if (view.user !== target.user)
        throw new DriverInputError(`view ${view.id} is not shown to ${target.user}`);
      const found = match(view.blocks)[0];
      if (!found) throw new DriverInputError(`no ${describe()} in view ${view.id}`);
      return { located: found, blocks: view.blocks, container: { type: 'view', viewId: view.id }, view };
    }

    const channel = this.channelOf(target.channel);
    type Candidate = { ts: string; blocks: Block[]; message?: EmuMessage; ephemeral?: EmuEphemeral };
    const candidates: Candidate[] = [];
    const msgs = this.emu.messages(channel.id);
    for (const m of msgs) {
      candidates.push({ ts: m.ts, blocks: m.blocks ?? [], message: m });
      if (m.reply_count) {
        for (const r of this.emu.thread(channel.id, m.ts))
          candidates.push({ ts: r.ts, blocks: r.blocks ?? [], message: r });
      }
    }
    for (const e of this.emu.ephemerals(target.user, channel.id))
      candidates.push({ ts: e.ts, blocks: e.blocks ?? [], ephemeral: e });
    const chosen = target.ts
      ? candidates.filter((c) => c.ts === target.ts)
      : candidates.filter((c) => match(c.blocks).length > 0).sort((a, b) => (a.ts < b.ts ? 1 : -1));
    const hit = chosen[0];
    if (!hit)
      throw new DriverInputError(
        `no message${target.ts ? ` ${target.ts}` : ` with ${describe()}`} in ${channel.id}`,
      );
    const found = match(hit.blocks)[0];
    if (!found) throw new DriverInputError(`no ${describe()} in message ${hit.ts}`);
    return {
      located: found,
      blocks: hit.blocks,
      container: {
        type: 'message',
        channel: channel.id,
        ts: hit.ts,
        isEphemeral: hit.ephemeral !== undefined,
      },
      ...(hit.message ? { message: hit.message } : {}),
      ...(hit.ephemeral ? { ephemeral: hit.ephemeral } : {}),
    };
  }

  /** A channel by id or name; a user id means that user's DM with the bot. */
  private channelOf(idOrUser: string): EmuChannel {
    const channel =
      this.emu.channel(idOrUser) ??
      (this.emu.user(idOrUser) ? this.emu.channel(this.emu.dmChannel(idOrUser)) : undefined);
    if (!channel) throw new DriverInputError(`unknown channel ${idOrUser}`);
    return channel;
  }

  private valueContext(): ValueContext {
    return {
      fileObject: (id) => {
        const f = this.emu.file(id);
        if (!f) throw new DriverInputError(`unknown file ${id} (use emulator.uploadFile)`);
        return fileObject(f, this.emu.team);
      },
      externalOption: (actionId, value) => {
        const o = this.suggested.get(actionId)?.find((x) => x.value === value);
        return o ? structuredClone(o) : undefined;
      },
      checkUser: (id) => {
        if (!this.emu.user(id)) throw new DriverInputError(`unknown user ${id}`);
      },
      checkConversation: (id) => {
        if (!this.emu.channel(id)) throw new DriverInputError(`unknown conversation ${id}`);
      },
    };
  }

  /** The state a view would report now: initial values, then what the user entered so far. */
  private currentViewState(view: EmuView): ViewStateValues {
    const values: ViewStateValues = {};
    for (const { block, element, container } of elementsOf(view.blocks)) {
      if (element.type === 'button' || element.type === 'overflow' || !element.action_id) continue;
      if (container === 'accessory' && !isStateful(element)) continue;
      const blockId = String(block.block_id);
      const actionId = String(element.action_id);
      const stored = view.state.values[blockId]?.[actionId];
      putState(values, blockId, actionId, stored ?? initialStateValue(element));
    }
    return values;
  }

  private viewPayload(view: EmuView, values: ViewStateValues): Obj {
    const { user: _u, errors: _e, ...rest } = view;
    return { ...structuredClone(rest), state: { values } };
  }

  // ---------------------------------------------------------------- block actions

  private async blockAction(
    input: {
      user: string;
      channel?: string;
      ts?: string;
      viewId?: string;
      actionId: string;
      blockId?: string;
    },
    sign: SignOptions,
    pick: ((l: LocatedElement) => boolean) | undefined,
    selection: SubmitValue | undefined,
  ): Promise<ActionResult> {
    const where = this.locate(input, pick);
    const { element, block } = where.located;
    const blockId = String(block.block_id);
    const actionId = String(element.action_id);
    const state =
      selection !== undefined || element.type !== 'button'
        ? stateValue(element, selection ?? null, this.valueContext())
        : undefined;
    // "Action elements included in an input block do not trigger any events" unless the block sets
    // dispatch_action: the value only lands in the view's state, sent later with the submission.
    if (where.view && where.located.container === 'input' && block.dispatch_action !== true) {
      const values = this.currentViewState(where.view);
      if (state) putState(values, blockId, actionId, state);
      this.emu.setViewState(where.view.id, values);
      return { status: 0, body: '', ms: 0, sent: false, container: where.container };
    }
    const trigger = this.emu.mintTrigger(input.user);
    const actionTs = this.actionTs();
    const payload: Obj = {
      type: 'block_actions',
      user: this.userObj(input.user),
      api_app_id: this.emu.bot.appId,
      token: 'emulator-verification-token',
      trigger_id: trigger.triggerId,
      team: this.teamObj(),
      enterprise: null,
      is_enterprise_install: false,
    };
    let responseUrl: string | undefined;
    if (where.view) {
      const values = this.currentViewState(where.view);
      if (state && element.type !== 'overflow') putState(values, blockId, actionId, state);
      this.emu.setViewState(where.view.id, values);
      payload.container = { type: 'view', view_id: where.view.id };
      payload.view = this.viewPayload(this.emu.view(where.view.id)!, values);
      payload.state = { values };
    } else {
      const c = where.container as Extract<ActionResult['container'], { type: 'message' }>;
      const channel = this.emu.channel(c.channel)!;
      responseUrl = this.emu.mintResponseUrl({
        user: input.user,
        channel: c.channel,
        messageTs: c.ts,
        ephemeral: c.isEphemeral,
      });
      payload.container = {
        type: 'message',
        message_ts: c.ts,
        channel_id: c.channel,
        is_ephemeral: c.isEphemeral,
        ...(where.message?.thread_ts && where.message.thread_ts !== c.ts
          ? { thread_ts: where.message.thread_ts }
          : {}),
      };
      payload.channel = { id: channel.id, name: channel.kind === 'im' ? 'directmessage' : channel.name };
      // Slack sends the message for channel messages, not for ephemeral ones.
      if (where.message) payload.message = messageObject(where.message, this.emu.team, this.emu.bot);
      const values: ViewStateValues = {};
      if (state && element.type !== 'overflow') values[blockId] = { [actionId]: state };
      payload.state = { values };
      payload.response_url = responseUrl;
    }
    payload.actions = [actionItem(element, blockId, actionTs, state)];
    const res = await this.sendPayload(payload, sign);
    return {
      ...res,
      sent: true,
      triggerId: trigger.triggerId,
      container: where.container,
      ...(responseUrl ? { responseUrl } : {}),
    };
  }

  /** Clicks a button (by action_id, and value when several share it) in a message or the open modal. */
  clickButton(input: ClickInput): Promise<ActionResult> {
    const pick = (l: LocatedElement) =>
      l.element.type === 'button' && (input.value === undefined || l.element.value === input.value);
    return this.blockAction(input, input, pick, undefined);
  }

  /**
   * Picks option(s)/user(s)/conversation(s) in a select, overflow, radio or checkbox element, or
   * types into a text input. Inside a modal's input block without dispatch_action Slack sends nothing:
   * the value is kept in the view's state (`sent: false`) and goes out with the submission.
   */
  selectOption(input: SelectInput): Promise<ActionResult> {
    const pick = (l: LocatedElement) => l.element.type !== 'button';
    return this.blockAction(input, input, pick, input.value);
  }

  // ---------------------------------------------------------------- views

  /**
   * Submits the user's top modal (or `viewId`) with `values` keyed by block_id or action_id.
   * Required inputs left empty are refused client-side, as Slack's client does, without a request.
   */
  async submitView(input: SubmitInput): Promise<SubmitResult> {
    const view = input.viewId ? this.emu.view(input.viewId) : this.emu.viewStack(input.user).at(-1);
    if (!view) throw new DriverInputError(`no open view for ${input.user}`);
    if (view.user !== input.user) throw new DriverInputError(`view ${view.id} is not shown to ${input.user}`);
    if (!view.submit) throw new DriverInputError(`view ${view.id} has no submit button`);
    const values = this.currentViewState(view);
    const inputs = elementsOf(view.blocks).filter((l) => l.container === 'input');
    const ctx = this.valueContext();
    for (const [key, value] of Object.entries(input.values ?? {})) {
      const target =
        inputs.find((l) => l.block.block_id === key) ??
        inputs.find((l) => l.element.action_id === key) ??
        elementsOf(view.blocks).find((l) => l.element.action_id === key && isStateful(l.element));
      if (!target) throw new DriverInputError(`no input "${key}" in view ${view.id} (${view.callback_id})`);
      const blockId = String(target.block.block_id);
      putState(values, blockId, String(target.element.action_id), stateValue(target.element, value, ctx));
    }
    this.emu.setViewState(view.id, values);

    const clientErrors = clientSideErrors(view, values);
    if (Object.keys(clientErrors).length > 0)
      return { status: 0, body: '', ms: 0, viewId: view.id, sent: false, clientErrors };

    const trigger = this.emu.mintTrigger(input.user);
    const payload: Obj = {
      type: 'view_submission',
      team: this.teamObj(),
      user: this.userObj(input.user),
      api_app_id: this.emu.bot.appId,
      token: 'emulator-verification-token',
      trigger_id: trigger.triggerId,
      view: this.viewPayload(this.emu.view(view.id)!, values),
      response_urls: [],
      is_enterprise_install: false,
      enterprise: null,
    };
    const res = await this.sendPayload(payload, input);
    if (res.status !== 200) return { ...res, viewId: view.id, sent: true };
    const outcome = this.emu.applyViewAck(view.id, res.body);
    return { ...res, viewId: view.id, sent: true, outcome };
  }

  /**
   * The user closes the modal (Cancel / X). Slack tells the app only when the view asked for
   * `notify_on_close`; then this returns the app's answer, otherwise null.
   */
  async closeView(input: { user: string; viewId?: string } & SignOptions): Promise<DriverResponse | null> {
    const view = input.viewId ? this.emu.view(input.viewId) : this.emu.viewStack(input.user).at(-1);
    if (!view) throw new DriverInputError(`no open view for ${input.user}`);
    const stack = this.emu.viewStack(input.user);
    const values = this.currentViewState(view);
    const isCleared = view.clear_on_close && stack.length > 1;
    if (isCleared) this.emu.closeView(stack[0]!.id);
    else this.emu.closeView(view.id);
    if (!view.notify_on_close) return null;
    return this.sendPayload(
      {
        type: 'view_closed',
        team: this.teamObj(),
        user: this.userObj(input.user),
        api_app_id: this.emu.bot.appId,
        token: 'emulator-verification-token',
        view: this.viewPayload(view, values),
        is_cleared: isCleared,
        is_enterprise_install: false,
        enterprise: null,
      },
      input,
    );
  }

  /** Types `value` into an external select: Slack asks the app for options (block_suggestion). */
  async suggest(input: SuggestInput): Promise<SuggestResult> {
    const where = this.locate(
      input,
      (l) => l.element.type === 'external_select' || l.element.type === 'multi_external_select',
    );
    const { element, block } = where.located;
    const payload: Obj = {
      type: 'block_suggestion',
      user: this.userObj(input.user),
      container:
        where.container.type === 'view'
          ? { type: 'view', view_id: where.container.viewId }
          : {
              type: 'message',
              message_ts: where.container.ts,
              channel_id: where.container.channel,
              is_ephemeral: where.container.isEphemeral,
            },
      api_app_id: this.emu.bot.appId,
      token: 'emulator-verification-token',
      action_id: element.action_id,
      block_id: block.block_id,
      value: input.value,
      team: this.teamObj(),
      enterprise: null,
      is_enterprise_install: false,
    };
    if (where.view) payload.view = this.viewPayload(where.view, this.currentViewState(where.view));
    if (where.container.type === 'message') {
      payload.channel = {
        id: where.container.channel,
        name: this.emu.channel(where.container.channel)?.name,
      };
      if (where.message) payload.message = messageObject(where.message, this.emu.team, this.emu.bot);
    }
    const res = await this.sendPayload(payload, input);
    // Slack shows nothing for an answer it cannot read; the problem is returned for the test to see.
    const parsed = SuggestAnswer.safeParse(res.status === 200 ? res.body : {});
    if (!parsed.success) return { ...res, options: [], problems: [z.prettifyError(parsed.error)] };
    const options = parsed.data.options ?? [];
    const groups = parsed.data.option_groups;
    const all = [...options, ...(groups ?? []).flatMap((g) => g.options)];
    this.suggested.set(String(element.action_id), all as Obj[]);
    return { ...res, options, ...(groups ? { option_groups: groups } : {}), problems: [] };
  }
}

const SuggestOption = z.looseObject({
  text: z.looseObject({ type: z.enum(['plain_text', 'mrkdwn']), text: z.string().max(75) }),
  value: z.string().max(150),
});
/** What an app may answer to block_suggestion: `options` (≤ 100) or `option_groups` (≤ 100). */
const SuggestAnswer = z.object({
  options: z.array(SuggestOption).max(100).optional(),
  option_groups: z
    .array(
      z.looseObject({
        label: z.looseObject({ type: z.string(), text: z.string() }),
        options: z.array(SuggestOption).max(100),
      }),
    )
    .max(100)
    .optional(),
});

function putState(values: ViewStateValues, blockId: string, actionId: string, v: ViewStateValue): void {
  const block = values[blockId] ?? {};
  block[actionId] = v;
  values[blockId] = block;
}

function isStateful(el: Element): boolean {
  return el.type !== 'button' && el.type !== 'overflow' && el.type !== 'image';
}

/** What Slack's own client checks before sending a submission. */
function clientSideErrors(view: EmuView, values: ViewStateValues): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const { block, element, container } of elementsOf(view.blocks)) {
    if (container !== 'input') continue;
    const blockId = String(block.block_id);
    const v = values[blockId]?.[String(element.action_id)];
    if (!v || isEmptyState(v)) {
      if (block.optional !== true) errors[blockId] = 'Please complete this required field.';
      continue;
    }
    if (typeof v.value === 'string') {
      if (typeof element.max_length === 'number' && v.value.length > element.max_length)
        errors[blockId] = `Must be ${element.max_length} characters or fewer.`;
      if (typeof element.min_length === 'number' && v.value.length < element.min_length)
        errors[blockId] = `Must be at least ${element.min_length} characters.`;
    }
  }
  return errors;
}

/** Workspace layer: modal views and each user's view stack (Slack's limits and errors). */
import { assignIds, blockProblems, elementsOf } from './blocks.js';
import { SlackApiError, withMessages } from './errors.js';
import type { Block, EmuView } from './types.js';
import { clone, isObj, MAX_VIEW_STACK, type Obj } from './workspace-core.js';
import { WorkspaceInteractions } from './workspace-interactions.js';

export class WorkspaceViews extends WorkspaceInteractions {
  /** Each user's published Home view id (views.publish). */
  protected readonly homes = new Map<string, string>();

  // ---------------------------------------------------------------- views

  validateView(view: unknown): Obj {
    if (!isObj(view)) throw withMessages('invalid_arguments', ['[ERROR] missing required field: view']);
    const problems: string[] = [];
    const p = (path: string, msg: string) => problems.push(`[ERROR] ${msg} [json-pointer:/view${path}]`);
    if (view.type !== 'modal') p('/type', 'must be "modal"');
    const text = (v: unknown) => (isObj(v) && typeof v.text === 'string' ? v.text : undefined);
    const title = text(view.title);
    if (title === undefined || title.length === 0) p('/title', 'must provide a plain_text title');
    else if (title.length > 24) p('/title/text', 'must be less than 25 characters');
    for (const key of ['submit', 'close'] as const) {
      const t = text(view[key]);
      if (t !== undefined && t.length > 24) p(`/${key}/text`, 'must be less than 25 characters');
    }
    if (typeof view.private_metadata === 'string' && view.private_metadata.length > 3000)
      p('/private_metadata', 'must be less than 3001 characters');
    if (typeof view.callback_id === 'string' && view.callback_id.length > 255)
      p('/callback_id', 'must be less than 256 characters');
    if (typeof view.external_id === 'string' && view.external_id.length > 255)
      p('/external_id', 'must be less than 256 characters');
    problems.push(...blockProblems(view.blocks, 100, '/view/blocks'));
    const hasInput = Array.isArray(view.blocks) && view.blocks.some((b) => isObj(b) && b.type === 'input');
    if (hasInput && text(view.submit) === undefined)
      p('/submit', 'must provide submit when input blocks are present');
    if (problems.length > 0) throw withMessages('invalid_arguments', problems);
    return view;
  }

  protected buildView(
    input: Obj,
    user: string,
    id: string,
    rootId: string | null,
    previousId: string | null,
    prior?: EmuView,
  ): EmuView {
    const plain = (v: unknown) => (isObj(v) ? (clone(v) as EmuView['title']) : undefined);
    // An update that does not name an external_id keeps the one the view had.
    const externalId = typeof input.external_id === 'string' ? input.external_id : (prior?.external_id ?? '');
    if (externalId) {
      const clash = [...this.views.values()].find((v) => v.external_id === externalId && v.id !== id);
      if (clash) throw new SlackApiError('duplicate_external_id');
    }
    const blocks = assignIds(clone(input.blocks as Block[]), () => this.nextSeq().toLowerCase());
    // Slack keeps what the user entered across views.update where block and action ids are unchanged.
    const kept: EmuView['state']['values'] = {};
    if (prior) {
      for (const { block, element } of elementsOf(blocks)) {
        const v = prior.state.values[String(block.block_id)]?.[String(element.action_id)];
        if (v)
          kept[String(block.block_id)] = {
            ...kept[String(block.block_id)],
            [String(element.action_id)]: clone(v),
          };
      }
    }
    return {
      id,
      team_id: this.team.id,
      type: 'modal',
      user,
      title: plain(input.title)!,
      submit: plain(input.submit) ?? null,
      close: plain(input.close) ?? null,
      blocks,
      private_metadata: typeof input.private_metadata === 'string' ? input.private_metadata : '',
      callback_id: typeof input.callback_id === 'string' ? input.callback_id : '',
      external_id: externalId,
      state: { values: kept },
      hash: `${Math.floor(this.clock.now() / 1000)}.${this.nextSeq().toLowerCase()}`,
      clear_on_close: input.clear_on_close === true,
      notify_on_close: input.notify_on_close === true,
      root_view_id: rootId ?? id,
      previous_view_id: previousId,
      app_id: this.bot.appId,
      bot_id: this.bot.botId,
      app_installed_team_id: this.team.id,
    };
  }

  /** views.open: a new modal stack for the trigger's user. */
  openView(args: { trigger_id?: unknown; view?: unknown }): EmuView {
    const view = this.validateView(args.view);
    const trigger = this.consumeTrigger(args.trigger_id);
    const id = this.nextId('V');
    const built = this.buildView(view, trigger.user, id, null, null);
    for (const old of this.stacks.get(trigger.user) ?? []) this.views.delete(old);
    this.views.set(id, built);
    this.stacks.set(trigger.user, [id]);
    this.emit({ kind: 'view_opened', view: built });
    return built;
  }

  /** views.push: on top of the user's open modal (root + 2 pushed at most). */
  pushView(args: { trigger_id?: unknown; view?: unknown }): EmuView {
    const view = this.validateView(args.view);
    const trigger = this.consumeTrigger(args.trigger_id);
    return this.pushFor(trigger.user, view);
  }

  pushFor(user: string, view: Obj): EmuView {
    const stack = this.stacks.get(user) ?? [];
    const top = stack[stack.length - 1];
    if (!top) throw new SlackApiError('not_found');
    if (stack.length >= MAX_VIEW_STACK) throw new SlackApiError('push_limit_reached');
    const id = this.nextId('V');
    const built = this.buildView(view, user, id, stack[0]!, top);
    this.views.set(id, built);
    stack.push(id);
    this.stacks.set(user, stack);
    this.emit({ kind: 'view_pushed', view: built });
    return built;
  }

  /** views.update by view_id or external_id, guarded by hash. */
  updateView(args: { view_id?: unknown; external_id?: unknown; hash?: unknown; view?: unknown }): EmuView {
    const view = this.validateView(args.view);
    let current: EmuView | undefined;
    if (typeof args.view_id === 'string' && args.view_id !== '') current = this.views.get(args.view_id);
    else if (typeof args.external_id === 'string' && args.external_id !== '')
      current = [...this.views.values()].find((v) => v.external_id === args.external_id);
    else throw withMessages('invalid_arguments', ['[ERROR] must provide view_id or external_id']);
    if (!current) throw new SlackApiError('not_found');
    if (typeof args.hash === 'string' && args.hash !== '' && args.hash !== current.hash)
      throw new SlackApiError('hash_conflict');
    return this.replaceView(current, view);
  }

  replaceView(current: EmuView, view: Obj): EmuView {
    const next = this.buildView(
      view,
      current.user,
      current.id,
      current.root_view_id,
      current.previous_view_id,
      current,
    );
    if (next.root_view_id === next.id) next.root_view_id = current.id;
    this.views.set(current.id, next);
    this.emit({ kind: 'view_updated', view: next });
    return next;
  }

  getView(id: string): EmuView | undefined {
    return this.views.get(id);
  }

  viewStack(user: string): EmuView[] {
    return (this.stacks.get(user) ?? []).map((id) => this.views.get(id)!).filter(Boolean);
  }

  /** Stores the values a user entered (so later payloads and updates carry them). */
  setViewState(id: string, values: EmuView['state']['values']): void {
    const v = this.views.get(id);
    if (!v) throw new SlackApiError('not_found');
    v.state = { values: clone(values) };
  }

  setViewErrors(id: string, errors: Record<string, string> | undefined): void {
    const v = this.views.get(id);
    if (!v) throw new SlackApiError('not_found');
    if (errors) v.errors = clone(errors);
    else delete v.errors;
    this.emit({ kind: 'view_updated', view: v });
  }

  /** Closes a view and everything pushed above it; returns the closed views. */
  closeView(id: string): EmuView[] {
    const v = this.views.get(id);
    if (!v) return [];
    const stack = this.stacks.get(v.user) ?? [];
    const idx = stack.indexOf(id);
    const closedIds = idx >= 0 ? stack.splice(idx) : [id];
    const closed = closedIds.map((x) => this.views.get(x)).filter((x): x is EmuView => x !== undefined);
    for (const x of closedIds) {
      this.views.delete(x);
      this.emit({ kind: 'view_closed', viewId: x, user: v.user });
    }
    if (stack.length === 0) this.stacks.delete(v.user);
    return closed;
  }

  // ---------------------------------------------------------------- App Home

  /**
   * views.publish: a Home view must be `type: home` with at most 100 blocks (slack-platform.md;
   * Slack's "invalid_arguments" with json-pointers as for modals); `user_id` must be a member of
   * the workspace; a `hash` that is not the current view's is `hash_conflict`.
   */
  publishHome(args: { user_id?: unknown; view?: unknown; hash?: unknown }): EmuView {
    if (typeof args.user_id !== 'string' || args.user_id === '')
      throw withMessages('invalid_arguments', ['[ERROR] missing required field: user_id']);
    const user = args.user_id;
    if (!this.users.has(user)) throw new SlackApiError('user_not_found');
    const view = args.view;
    if (!isObj(view)) throw withMessages('invalid_arguments', ['[ERROR] missing required field: view']);
    const problems: string[] = [];
    const p = (path: string, msg: string) => problems.push(`[ERROR] ${msg} [json-pointer:/view${path}]`);
    if (view.type !== 'home') p('/type', 'must be "home" for views.publish');
    if (typeof view.private_metadata === 'string' && view.private_metadata.length > 3000)
      p('/private_metadata', 'must be less than 3001 characters');
    if (typeof view.callback_id === 'string' && view.callback_id.length > 255)
      p('/callback_id', 'must be less than 256 characters');
    if (typeof view.external_id === 'string' && view.external_id.length > 255)
      p('/external_id', 'must be less than 256 characters');
    problems.push(...blockProblems(view.blocks, 100, '/view/blocks'));
    if (problems.length > 0) throw withMessages('invalid_arguments', problems);
    const currentId = this.homes.get(user);
    const current = currentId ? this.views.get(currentId) : undefined;
    if (typeof args.hash === 'string' && args.hash !== '' && current && args.hash !== current.hash)
      throw new SlackApiError('hash_conflict');
    const id = current?.id ?? this.nextId('V');
    const built: EmuView = { ...this.buildView(view, user, id, null, null, current), type: 'home' };
    this.views.set(id, built);
    this.homes.set(user, id);
    this.emit({ kind: 'home_published', view: built });
    return built;
  }

  /** The user's published Home view, if the app published one. */
  homeView(user: string): EmuView | undefined {
    const id = this.homes.get(user);
    return id ? this.views.get(id) : undefined;
  }

  /** Closes the user's whole modal stack (`response_action: clear`). */
  clearViews(user: string): EmuView[] {
    const root = this.stacks.get(user)?.[0];
    return root ? this.closeView(root) : [];
  }
}

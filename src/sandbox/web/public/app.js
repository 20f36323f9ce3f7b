// The sandbox page: a small Slack client over the emulator. State comes from /api/snapshot and
// then the change stream (/api/events); people's actions go to /api/*, which sends them to the
// app through the SlackDriver as signed Slack requests.
import { h, initialValue, renderBlocks, renderFiles } from './blocks.js';
import { escapeHtml, mrkdwn, plainText } from './mrkdwn.js';
import { renderZohoPanel } from './zoho.js';

const state = {
  team: null,
  bot: null,
  users: new Map(),
  channels: new Map(),
  /** channel id -> top-level messages, oldest first */
  messages: new Map(),
  /** `${channel}:${thread_ts}` -> replies */
  threads: new Map(),
  ephemerals: [],
  /** user id -> modal stack, root first */
  views: new Map(),
  /** user id -> the Home view the app published for them (views.publish) */
  homes: new Map(),
  demo: null,
  me: localStorage.getItem('sandbox.user') || null,
  channel: localStorage.getItem('sandbox.channel') || null,
  thread: null,
  unread: new Map(),
  /** viewId -> { values: Map(blockId -> value), labels: Map(blockId -> [{value,text}]), clientErrors } */
  drafts: new Map(),
  notes: [],
  zohoOpen: localStorage.getItem('sandbox.zoho') !== 'closed',
};

const $ = (sel) => document.querySelector(sel);

async function api(path, body) {
  const res = await fetch(
    `/api/${path}`,
    body === undefined
      ? {}
      : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
  );
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(json.error || `HTTP ${res.status}`);
  return json;
}

// ------------------------------------------------------------------ model

const ctx = {
  userName: (id) => state.users.get(id)?.real_name || state.users.get(id)?.name || id,
  channelName: (id) => state.channels.get(id)?.name || id,
};

function upsert(list, item, key = (x) => x.ts) {
  const i = list.findIndex((x) => key(x) === key(item));
  if (i >= 0) list[i] = item;
  else {
    list.push(item);
    list.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
  }
}

function isReply(m) {
  return m.thread_ts && m.thread_ts !== m.ts;
}

function putMessage(m, fresh) {
  if (isReply(m)) {
    const key = `${m.channel}:${m.thread_ts}`;
    const list = state.threads.get(key) ?? [];
    upsert(list, m);
    state.threads.set(key, list);
    const parent = (state.messages.get(m.channel) ?? []).find((p) => p.ts === m.thread_ts);
    if (parent) {
      parent.reply_count = list.length;
      parent.latest_reply = list.at(-1).ts;
    }
    if (!m.reply_broadcast) return;
  }
  const list = state.messages.get(m.channel) ?? [];
  const existing = list.find((x) => x.ts === m.ts);
  // chat.update does not carry reply counts; keep what the thread holds.
  if (existing && !isReply(m)) {
    m.reply_count = m.reply_count ?? existing.reply_count;
    m.latest_reply = m.latest_reply ?? existing.latest_reply;
  }
  upsert(list, m);
  state.messages.set(m.channel, list);
  if (fresh && m.channel !== state.channel && m.user !== state.me)
    state.unread.set(m.channel, (state.unread.get(m.channel) ?? 0) + 1);
}

function removeMessage(channel, ts, threadTs) {
  if (threadTs && threadTs !== ts) {
    const key = `${channel}:${threadTs}`;
    state.threads.set(
      key,
      (state.threads.get(key) ?? []).filter((m) => m.ts !== ts),
    );
  }
  state.messages.set(
    channel,
    (state.messages.get(channel) ?? []).filter((m) => m.ts !== ts),
  );
}

function loadSnapshot(s) {
  state.team = s.team;
  state.bot = s.bot;
  state.demo = s.demo;
  state.users = new Map(s.users.map((u) => [u.id, u]));
  state.channels = new Map();
  state.messages = new Map();
  for (const c of s.channels) {
    const { messages, ...channel } = c;
    state.channels.set(c.id, channel);
    state.messages.set(c.id, messages);
  }
  state.threads = new Map(Object.entries(s.threads));
  state.ephemerals = s.ephemerals;
  state.views = new Map(Object.entries(s.views));
  if (!state.me || !state.users.has(state.me)) state.me = s.demo.roles[0].user;
  if (!state.channel || !state.channels.has(state.channel)) state.channel = s.demo.channel;
}

function applyChange(c) {
  switch (c.kind) {
    case 'message_posted':
      putMessage(c.message, true);
      break;
    case 'message_updated':
      putMessage(c.message, false);
      break;
    case 'message_deleted':
      removeMessage(c.channel, c.ts, c.thread_ts);
      break;
    case 'ephemeral_posted':
    case 'ephemeral_updated':
      upsert(state.ephemerals, c.ephemeral, (e) => `${e.channel}:${e.ts}:${e.user}`);
      if (
        c.kind === 'ephemeral_posted' &&
        c.ephemeral.user === state.me &&
        c.ephemeral.channel !== state.channel
      )
        state.unread.set(c.ephemeral.channel, (state.unread.get(c.ephemeral.channel) ?? 0) + 1);
      break;
    case 'ephemeral_deleted':
      state.ephemerals = state.ephemerals.filter(
        (e) => !(e.channel === c.channel && e.ts === c.ts && e.user === c.user),
      );
      break;
    case 'view_stack':
      state.views.set(c.user, c.stack);
      for (const id of state.drafts.keys())
        if (![...state.views.values()].flat().some((v) => v.id === id)) state.drafts.delete(id);
      break;
    case 'home_published':
      state.homes.set(c.view.user, c.view);
      break;
    case 'channel_changed':
      state.channels.set(c.channel.id, c.channel);
      if (!state.messages.has(c.channel.id)) state.messages.set(c.channel.id, []);
      break;
    case 'user_changed':
      state.users.set(c.user.id, c.user);
      break;
    default:
      return false;
  }
  return true;
}

// ------------------------------------------------------------------ actions

function note(text, kind = 'error') {
  state.notes.push({ channel: state.channel, text, kind, at: Date.now() });
  render();
}

async function act(kind, payload, where) {
  try {
    const r = await api(kind, { user: state.me, ...where, ...payload });
    if (r.status && r.status !== 200)
      note(
        `The app answered HTTP ${r.status}: Slack would show "This app responded with Status Code ${r.status}".`,
      );
  } catch (err) {
    note(`Could not send that to the app: ${err.message}`);
  }
}

async function send(text, threadTs) {
  const trimmed = text.trim();
  if (!trimmed) return;
  const m = /^\/(\S+)\s*([\s\S]*)$/.exec(trimmed);
  if (m) {
    if (m[1] !== 'territory') {
      note(`/${m[1]} is not a valid command. In the sandbox, only /territory is installed.`);
      return;
    }
    try {
      const r = await api('command', { user: state.me, channel: state.channel, text: m[2] });
      if (r.status !== 200)
        note(`/territory failed with the error "dispatch_failed" (the app answered HTTP ${r.status}).`);
      else if (r.ackProblems?.length) note(`Slack refused the app's answer: ${r.ackProblems.join('; ')}`);
    } catch (err) {
      note(`/territory failed: ${err.message}`);
    }
    return;
  }
  try {
    await api('post', {
      user: state.me,
      channel: state.channel,
      text: trimmed,
      ...(threadTs ? { threadTs } : {}),
    });
  } catch (err) {
    note(`Message not sent: ${err.message}`);
  }
}

async function openDm() {
  const { channel } = await api('dm', { user: state.me });
  selectChannel(channel);
}

/** The sidebar's "Home" stands in place of a channel while it is shown. */
const HOME = 'home';

/** Shows the app's Home tab: Slack sends app_home_opened each time the tab is opened. */
async function openHome() {
  selectChannel(HOME);
  try {
    const r = await api('home', { user: state.me });
    if (r.view && !state.homes.has(state.me)) state.homes.set(state.me, r.view);
    if (r.status && r.status !== 200) note(`The app answered app_home_opened with HTTP ${r.status}.`);
    render();
  } catch (err) {
    note(`Could not open Home: ${err.message}`);
  }
}

function renderHome() {
  const view = state.homes.get(state.me);
  return h(
    'main',
    { class: 'channel home-tab', id: 'home-tab' },
    h('header', { class: 'ch-head' }, h('h2', {}, `${state.bot?.name ?? 'territory-bot'} · Home`)),
    h(
      'div',
      { class: 'messages home-body' },
      view
        ? renderBlocks(view.blocks, envFor({ viewId: view.id }))
        : h('div', { class: 'empty' }, 'Opening Home…'),
      ...state.notes
        .filter((n) => n.channel === HOME)
        .map((n) =>
          h('div', { class: `note note-${n.kind}`, role: 'status' }, h('b', {}, 'Slackbot '), n.text),
        ),
    ),
  );
}

function selectChannel(id) {
  state.channel = id;
  state.thread = null;
  state.unread.delete(id);
  localStorage.setItem('sandbox.channel', id);
  render();
}

function switchUser(id) {
  state.me = id;
  localStorage.setItem('sandbox.user', id);
  const ch = state.channels.get(state.channel);
  if (ch && !canSee(ch)) state.channel = visibleChannels()[0]?.id ?? state.channel;
  state.thread = null;
  state.unread.clear();
  if (state.channel === HOME) openHome();
  render();
}

// ------------------------------------------------------------------ confirm dialog

function confirmDialog(text, yes, no) {
  return new Promise((resolve) => {
    const close = (v) => {
      overlay.remove();
      resolve(v);
    };
    const overlay = h(
      'div',
      { class: 'overlay confirm-overlay' },
      h(
        'div',
        { class: 'modal confirm', role: 'dialog' },
        h('div', { class: 'modal-body', html: escapeHtml(text).replace(/\n/g, '<br>') }),
        h(
          'div',
          { class: 'modal-footer' },
          h('button', { class: 'btn', onclick: () => close(false) }, no),
          h('button', { class: 'btn btn-primary', onclick: () => close(true) }, yes),
        ),
      ),
    );
    document.body.append(overlay);
  });
}

// ------------------------------------------------------------------ rendering

function canSee(c) {
  if (c.kind === 'im') return c.user === state.me;
  if (c.kind === 'mpim') return c.members.includes(state.me);
  return c.members.includes(state.me) || c.kind === 'public';
}

function visibleChannels() {
  return [...state.channels.values()].filter(
    (c) => c.kind !== 'im' && canSee(c) && (c.members.includes(state.me) || c.id === state.channel),
  );
}

function userLabel(u) {
  return `${u.real_name} (${u.role})`;
}

function renderSidebar() {
  const me = state.users.get(state.me);
  const people = [...state.users.values()].filter((u) => !u.is_bot && !u.deleted);
  const switcher = h(
    'select',
    { id: 'user-switcher', 'aria-label': 'Act as', onchange: (e) => switchUser(e.target.value) },
    people.map((u) => h('option', { value: u.id, selected: u.id === state.me }, userLabel(u))),
  );
  const chItem = (c, label) =>
    h(
      'li',
      {
        class: `ch${c.id === state.channel ? ' active' : ''}`,
        dataset: { channel: c.id },
        onclick: () => selectChannel(c.id),
      },
      h('span', { class: 'ch-name' }, label),
      state.unread.get(c.id) ? h('span', { class: 'badge' }, String(state.unread.get(c.id))) : null,
    );
  const channels = visibleChannels().sort((a, b) => a.name.localeCompare(b.name));
  const dm = [...state.channels.values()].find((c) => c.kind === 'im' && c.user === state.me);
  return h(
    'aside',
    { class: 'sidebar' },
    h('div', { class: 'team' }, state.team?.name ?? 'Sandbox'),
    h('label', { class: 'act-as' }, 'Acting as', switcher),
    h('div', { class: 'me' }, me ? `${me.real_name} · ${me.role}` : ''),
    h(
      'ul',
      { class: 'ch-list' },
      h(
        'li',
        { class: `ch${state.channel === HOME ? ' active' : ''}`, id: 'home-link', onclick: openHome },
        h('span', { class: 'ch-name' }, '⌂ Home'),
      ),
    ),
    h('h4', {}, 'Channels'),
    h(
      'ul',
      { class: 'ch-list' },
      channels.map((c) => chItem(c, `${c.kind === 'private' ? '⊘' : '#'} ${c.name}`)),
    ),
    h('h4', {}, 'Direct messages'),
    h(
      'ul',
      { class: 'ch-list' },
      dm
        ? chItem(dm, `● ${state.bot?.name ?? 'territory-bot'}`)
        : h(
            'li',
            { class: 'ch', onclick: openDm },
            h('span', { class: 'ch-name' }, `● ${state.bot?.name ?? 'territory-bot'}`),
          ),
    ),
    h(
      'div',
      { class: 'sidebar-foot' },
      h(
        'button',
        {
          class: 'btn btn-small',
          id: 'toggle-zoho',
          onclick: () => {
            state.zohoOpen = !state.zohoOpen;
            localStorage.setItem('sandbox.zoho', state.zohoOpen ? 'open' : 'closed');
            render();
          },
        },
        state.zohoOpen ? 'Hide Zoho panel' : 'Show Zoho panel',
      ),
    ),
  );
}

function tsTime(ts) {
  const d = new Date(Number(ts) * 1000);
  return d.toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' });
}

function messageEl(m, where, opts = {}) {
  const author = state.users.get(m.user);
  const isBot = author?.is_bot || m.bot_id;
  const content = m.blocks?.length
    ? renderBlocks(m.blocks, envFor({ channel: m.channel, ts: m.ts }))
    : h('div', { class: 'm-text', html: mrkdwn(m.text, ctx) });
  const el = h(
    'div',
    {
      class: `message${opts.ephemeral ? ' ephemeral' : ''}`,
      dataset: { ts: m.ts, channel: m.channel, where },
    },
    h(
      'div',
      { class: 'avatar', 'aria-hidden': 'true' },
      (author?.real_name || author?.name || '?').slice(0, 1).toUpperCase(),
    ),
    h(
      'div',
      { class: 'm-body' },
      h(
        'div',
        { class: 'm-head' },
        h('span', { class: 'm-author' }, author?.real_name || author?.name || m.user),
        isBot ? h('span', { class: 'app-tag' }, 'APP') : null,
        h('span', { class: 'm-time', title: m.ts }, tsTime(m.ts)),
        m.edited ? h('span', { class: 'm-edited' }, '(edited)') : null,
      ),
      opts.ephemeral ? h('div', { class: 'ephemeral-tag' }, 'Only visible to you') : null,
      content,
      m.files?.length ? renderFiles(m.files, (f) => `/api/files/${encodeURIComponent(f.id)}`) : null,
      !opts.inThread && m.reply_count
        ? h(
            'button',
            { class: 'replies', onclick: () => openThread(m.channel, m.ts) },
            `${m.reply_count} ${m.reply_count === 1 ? 'reply' : 'replies'}`,
          )
        : null,
    ),
  );
  if (!opts.inThread && !opts.ephemeral) {
    el.append(
      h(
        'button',
        { class: 'reply-btn', title: 'Reply in thread', onclick: () => openThread(m.channel, m.ts) },
        'Reply',
      ),
    );
  }
  return el;
}

function envFor(where) {
  return {
    ctx,
    users: [...state.users.values()].filter((u) => !u.is_bot),
    channels: [...state.channels.values()],
    act: (kind, payload) => act(kind, payload, where),
    suggest: (payload) =>
      api('suggest', { user: state.me, ...where, ...payload }).catch((err) => {
        note(`Options could not load: ${err.message}`);
        return { options: [] };
      }),
    confirm: confirmDialog,
    upload: uploadFile,
    draft: null,
    errors: null,
  };
}

async function uploadFile(file) {
  const content = await file.text();
  const { id } = await api('upload', {
    user: state.me,
    name: file.name,
    content,
    mimetype: file.type || 'text/csv',
  });
  return id;
}

function openThread(channel, ts) {
  state.thread = { channel, ts };
  render();
}

function composer(placeholder, onSend, id) {
  const ta = h('textarea', { id, class: 'composer-input', rows: 2, placeholder, 'aria-label': placeholder });
  const go = async () => {
    const text = ta.value;
    ta.value = '';
    await onSend(text);
  };
  ta.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      go();
    }
  });
  return h(
    'div',
    { class: 'composer' },
    ta,
    h('button', { class: 'btn btn-primary send', onclick: go }, 'Send'),
  );
}

function renderMain() {
  const c = state.channels.get(state.channel);
  const title = c ? (c.kind === 'im' ? (state.bot?.name ?? 'territory-bot') : `# ${c.name}`) : '';
  const items = [
    ...(state.messages.get(state.channel) ?? []).map((m) => ({
      ts: m.ts,
      el: () => messageEl(m, 'channel'),
    })),
    ...state.ephemerals
      .filter((e) => e.user === state.me && e.channel === state.channel && !e.thread_ts)
      .map((e) => ({
        ts: e.ts,
        el: () =>
          messageEl({ ...e, user: state.bot.userId, bot_id: state.bot.botId }, 'channel', {
            ephemeral: true,
          }),
      })),
    ...state.notes
      .filter((n) => n.channel === state.channel)
      .map((n) => ({
        ts: String(n.at / 1000),
        el: () => h('div', { class: `note note-${n.kind}`, role: 'status' }, h('b', {}, 'Slackbot '), n.text),
      })),
  ].sort((a, b) => Number(a.ts) - Number(b.ts));
  const list = h(
    'div',
    { class: 'messages', id: 'messages' },
    items.length
      ? items.map((i) => i.el())
      : h('div', { class: 'empty' }, 'No messages yet. Try /territory help'),
  );
  const notMember = c && c.kind !== 'im' && !c.members.includes(state.me);
  return h(
    'main',
    { class: 'channel' },
    h(
      'header',
      { class: 'ch-head' },
      h('h2', {}, title),
      c?.botMember === false && c.kind !== 'im'
        ? h('span', { class: 'hint' }, `${state.bot?.name} is not in this channel`)
        : null,
    ),
    list,
    notMember
      ? h('div', { class: 'hint pad' }, 'You are not a member of this channel.')
      : composer(`Message ${title} — try /territory help`, (t) => send(t), 'composer'),
  );
}

function renderThread() {
  if (!state.thread) return null;
  const { channel, ts } = state.thread;
  const parent = (state.messages.get(channel) ?? []).find((m) => m.ts === ts);
  const replies = state.threads.get(`${channel}:${ts}`) ?? [];
  const eph = state.ephemerals.filter(
    (e) => e.user === state.me && e.channel === channel && e.thread_ts === ts,
  );
  return h(
    'section',
    { class: 'thread', id: 'thread' },
    h(
      'header',
      { class: 'ch-head' },
      h('h3', {}, 'Thread'),
      h(
        'button',
        {
          class: 'btn btn-small',
          'aria-label': 'Close thread',
          onclick: () => {
            state.thread = null;
            render();
          },
        },
        '✕',
      ),
    ),
    h(
      'div',
      { class: 'messages' },
      parent ? messageEl(parent, 'thread-parent', { inThread: true }) : null,
      h('div', { class: 'reply-count' }, `${replies.length} ${replies.length === 1 ? 'reply' : 'replies'}`),
      replies.map((m) => messageEl(m, 'thread', { inThread: true })),
      eph.map((e) =>
        messageEl({ ...e, user: state.bot.userId, bot_id: state.bot.botId }, 'thread', {
          inThread: true,
          ephemeral: true,
        }),
      ),
    ),
    composer('Reply…', (t) => send(t, ts), 'thread-composer'),
  );
}

function draftFor(view) {
  let d = state.drafts.get(view.id);
  if (!d) {
    d = { values: new Map(), labels: new Map(), clientErrors: null };
    state.drafts.set(view.id, d);
  }
  return {
    get: (blockId, el) => (d.values.has(blockId) ? d.values.get(blockId) : initialValue(el)),
    set: (blockId, value, label) => {
      d.values.set(blockId, value);
      if (label) d.labels.set(blockId, label);
    },
    label: (blockId) => d.labels.get(blockId) ?? null,
  };
}

function inputValues(view) {
  const d = state.drafts.get(view.id);
  const values = {};
  for (const b of view.blocks) {
    if (b.type !== 'input' || !b.block_id) continue;
    const v = d?.values.has(b.block_id) ? d.values.get(b.block_id) : initialValue(b.element);
    values[b.block_id] = v && typeof v === 'object' && !Array.isArray(v) && v.files?.length === 0 ? null : v;
  }
  return values;
}

function renderModal() {
  const stack = state.views.get(state.me) ?? [];
  const view = stack.at(-1);
  if (!view) return null;
  const d = state.drafts.get(view.id);
  const env = {
    ...envFor({ viewId: view.id }),
    draft: draftFor(view),
    errors: { ...(view.errors ?? {}), ...(d?.clientErrors ?? {}) },
  };
  const close = () => act('close', {}, { viewId: view.id });
  const submit = async (btn) => {
    btn.disabled = true;
    try {
      const r = await api('submit', { user: state.me, viewId: view.id, values: inputValues(view) });
      const draft = state.drafts.get(view.id);
      if (draft) draft.clientErrors = r.clientErrors;
      if (r.status && r.status !== 200)
        note(
          `The app answered HTTP ${r.status} to the submission: Slack would show "We had some trouble connecting".`,
        );
      if (r.outcome?.problems?.length)
        note(`Slack refused the app's answer to the submission: ${r.outcome.problems.join('; ')}`);
      render();
    } catch (err) {
      note(`Could not submit: ${err.message}`);
    } finally {
      btn.disabled = false;
    }
  };
  const submitBtn = view.submit
    ? h('button', { class: 'btn btn-primary', id: 'modal-submit' }, plainText(view.submit))
    : null;
  submitBtn?.addEventListener('click', () => submit(submitBtn));
  return h(
    'div',
    { class: 'overlay' },
    h(
      'div',
      {
        class: 'modal',
        role: 'dialog',
        'aria-label': plainText(view.title),
        dataset: { viewId: view.id, callbackId: view.callback_id },
      },
      h(
        'div',
        { class: 'modal-head' },
        stack.length > 1
          ? h('button', { class: 'btn btn-small', 'aria-label': 'Back', onclick: close }, '←')
          : null,
        h('h3', {}, plainText(view.title)),
        h('button', { class: 'btn btn-small modal-x', 'aria-label': 'Close', onclick: close }, '✕'),
      ),
      h('div', { class: 'modal-body' }, renderBlocks(view.blocks, env)),
      h(
        'div',
        { class: 'modal-footer' },
        h('button', { class: 'btn', id: 'modal-close', onclick: close }, plainText(view.close) || 'Cancel'),
        submitBtn,
      ),
    ),
  );
}

let zohoNode = null;
let modalKey = null;

function render() {
  // Keep what people are typing and where they scrolled across re-renders.
  const active = document.activeElement;
  const activeId = active?.id;
  const activeName = active?.getAttribute?.('name');
  const selStart = active?.selectionStart;
  const drafts = {};
  for (const id of ['composer', 'thread-composer']) drafts[id] = document.getElementById(id)?.value ?? '';
  const scroll = {};
  for (const el of document.querySelectorAll('.messages, .modal-body'))
    scroll[el.closest('[id], main, section')?.className ?? ''] = {
      top: el.scrollTop,
      atBottom: el.scrollHeight - el.scrollTop - el.clientHeight < 40,
    };

  const app = $('#app');
  zohoNode ??= h('aside', { class: 'zoho', id: 'zoho' });
  app.replaceChildren(
    renderSidebar(),
    state.channel === HOME ? renderHome() : renderMain(),
    ...[renderThread()].filter(Boolean),
    ...(state.zohoOpen ? [zohoNode] : []),
  );
  app.className = `layout${state.thread ? ' with-thread' : ''}${state.zohoOpen ? ' with-zoho' : ''}`;
  // A modal is rebuilt only when the app changed it, so typing and open pickers are left alone.
  const view = (state.views.get(state.me) ?? []).at(-1);
  const key = view
    ? `${state.me}:${view.id}:${view.hash}:${JSON.stringify(view.errors ?? {})}:${JSON.stringify(state.drafts.get(view.id)?.clientErrors ?? {})}`
    : '';
  if (key !== modalKey) {
    modalKey = key;
    const modal = renderModal();
    $('#modal-root').replaceChildren(...(modal ? [modal] : []));
  }

  for (const [id, v] of Object.entries(drafts)) {
    const el = document.getElementById(id);
    if (el) el.value = v;
  }
  for (const el of document.querySelectorAll('.messages, .modal-body')) {
    const s = scroll[el.closest('[id], main, section')?.className ?? ''];
    el.scrollTop = !s || s.atBottom ? el.scrollHeight : s.top;
  }
  const again = activeId
    ? document.getElementById(activeId)
    : activeName
      ? document.querySelector(`.modal [name="${CSS.escape(activeName)}"]`)
      : null;
  if (again && again !== document.activeElement) {
    again.focus();
    if (typeof selStart === 'number' && again.setSelectionRange) again.setSelectionRange(selStart, selStart);
  }
}

// ------------------------------------------------------------------ start

async function start() {
  const buffered = [];
  let ready = false;
  let scheduled = false;
  const rerender = () => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      // Typing in a modal or a typeahead must not be interrupted by unrelated updates.
      render();
    });
  };
  const events = new EventSource('/api/events');
  let opened = false;
  events.addEventListener('open', async () => {
    if (opened) {
      // Reconnected: anything may have happened meanwhile.
      loadSnapshot(await api('snapshot'));
      rerender();
    }
    opened = true;
    document.body.classList.remove('offline');
  });
  events.addEventListener('error', () => document.body.classList.add('offline'));
  events.addEventListener('change', (e) => {
    const change = JSON.parse(e.data);
    if (!ready) buffered.push(change);
    else if (applyChange(change)) rerender();
  });
  loadSnapshot(await api('snapshot'));
  ready = true;
  for (const c of buffered.splice(0)) applyChange(c);
  render();
  renderZohoPanel(zohoNode, {
    api,
    runMonitor: async () => {
      const r = await api('monitor/run', {});
      return {
        message: `Monitor ${r.ok ? 'ran' : 'could not check everything'}: ${r.outcome}`,
      };
    },
    insert: (text) => {
      const c = document.getElementById('composer');
      if (c) {
        c.value = text;
        c.focus();
      }
    },
  });
  render();
  document.body.dataset.ready = 'true';
}

start().catch((err) => {
  document.body.innerHTML = `<pre class="fatal">The sandbox page could not start: ${escapeHtml(err.message)}</pre>`;
});

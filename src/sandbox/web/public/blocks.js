// Block Kit to DOM: header, section (text, fields, accessory), context, divider, image,
// actions, input (modals), rich_text and markdown. Interactive elements call env.act(kind, …)
// ('click' | 'select'); inputs inside modal input blocks write to env.draft instead (Slack sends
// nothing for them until submit, unless the block sets dispatch_action).
import { escapeHtml, mrkdwn, plainText, textObject } from './mrkdwn.js';

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'html') el.innerHTML = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat())
    if (c !== null && c !== undefined && c !== false)
      el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

/** Files shared in a message (files.completeUploadExternal), each with a download link. */
export function renderFiles(files, hrefFor) {
  return h(
    'div',
    { class: 'm-files' },
    ...files.map((f) =>
      h(
        'div',
        { class: 'file-card', dataset: { fileId: f.id } },
        h('span', { class: 'file-icon', 'aria-hidden': 'true' }, (f.filetype || 'file').toUpperCase()),
        h(
          'span',
          { class: 'file-meta' },
          h('span', { class: 'file-name' }, f.title || f.name),
          h('span', { class: 'file-size' }, `${f.name} · ${formatSize(f.size)}`),
        ),
        h('a', { class: 'file-download', href: hrefFor(f), download: f.name }, 'Download'),
      ),
    ),
  );
}

function formatSize(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export function renderBlocks(blocks, env) {
  const wrap = h('div', { class: 'blocks' });
  for (const block of blocks ?? []) {
    const el = renderBlock(block, env);
    if (el) {
      el.dataset.blockId = block.block_id ?? '';
      el.dataset.blockType = block.type;
      wrap.append(el);
    }
  }
  return wrap;
}

function renderBlock(b, env) {
  switch (b.type) {
    case 'header':
      return h('div', { class: 'b-header' }, plainText(b.text));
    case 'divider':
      return h('hr', { class: 'b-divider' });
    case 'section': {
      const el = h('div', { class: 'b-section' });
      const body = h('div', { class: 'b-section-body' });
      if (b.text) body.append(h('div', { class: 'b-text', html: textObject(b.text, env.ctx) }));
      if (b.fields?.length)
        body.append(
          h(
            'div',
            { class: 'b-fields' },
            b.fields.map((f) => h('div', { class: 'b-field', html: textObject(f, env.ctx) })),
          ),
        );
      el.append(body);
      if (b.accessory)
        el.append(h('div', { class: 'b-accessory' }, renderElement(b.accessory, b, env, false)));
      return el;
    }
    case 'context':
      return h(
        'div',
        { class: 'b-context' },
        (b.elements ?? []).map((e) =>
          e.type === 'image'
            ? h('img', { src: e.image_url, alt: e.alt_text ?? '', class: 'ctx-img' })
            : h('span', { html: textObject(e, env.ctx) }),
        ),
      );
    case 'image':
      return h(
        'figure',
        { class: 'b-image' },
        b.title ? h('figcaption', {}, plainText(b.title)) : null,
        h('img', { src: b.image_url, alt: b.alt_text ?? '' }),
      );
    case 'actions':
      return h(
        'div',
        { class: 'b-actions' },
        (b.elements ?? []).map((e) => renderElement(e, b, env, false)),
      );
    case 'input':
      return renderInput(b, env);
    case 'markdown':
      return h('div', { class: 'b-text', html: mrkdwn(b.text ?? '', env.ctx) });
    case 'rich_text':
      return h('div', { class: 'b-text', html: richText(b.elements ?? [], env) });
    default:
      return h('div', { class: 'b-unknown' }, `[${b.type} block]`);
  }
}

function richInline(els, env) {
  return els
    .map((e) => {
      if (e.type === 'text') {
        let t = escapeHtml(e.text).replace(/\n/g, '<br>');
        const s = e.style ?? {};
        if (s.code) t = `<code>${t}</code>`;
        if (s.bold) t = `<b>${t}</b>`;
        if (s.italic) t = `<i>${t}</i>`;
        if (s.strike) t = `<s>${t}</s>`;
        return t;
      }
      if (e.type === 'link')
        return `<a href="${escapeHtml(e.url)}" target="_blank" rel="noopener">${escapeHtml(e.text ?? e.url)}</a>`;
      if (e.type === 'user')
        return `<span class="mention">@${escapeHtml(env.ctx.userName(e.user_id))}</span>`;
      if (e.type === 'channel')
        return `<span class="mention channel">#${escapeHtml(env.ctx.channelName(e.channel_id))}</span>`;
      if (e.type === 'emoji')
        return e.unicode
          ? String.fromCodePoint(...e.unicode.split('-').map((x) => parseInt(x, 16)))
          : `:${escapeHtml(e.name)}:`;
      if (e.type === 'date') return mrkdwn(`<!date^${e.timestamp}^${e.format}|${e.fallback ?? ''}>`, env.ctx);
      return escapeHtml(e.text ?? '');
    })
    .join('');
}

function richText(elements, env) {
  return elements
    .map((s) => {
      if (s.type === 'rich_text_section') return `<div>${richInline(s.elements ?? [], env)}</div>`;
      if (s.type === 'rich_text_preformatted') return `<pre>${richInline(s.elements ?? [], env)}</pre>`;
      if (s.type === 'rich_text_quote')
        return `<blockquote>${richInline(s.elements ?? [], env)}</blockquote>`;
      if (s.type === 'rich_text_list') {
        const tag = s.style === 'ordered' ? 'ol' : 'ul';
        return `<${tag}>${(s.elements ?? []).map((i) => `<li>${richInline(i.elements ?? [], env)}</li>`).join('')}</${tag}>`;
      }
      return '';
    })
    .join('');
}

/** Options of a static select, flattened from option_groups too. */
function optionsOf(el) {
  if (el.option_groups) return el.option_groups.flatMap((g) => g.options ?? []);
  return el.options ?? [];
}

function renderInput(b, env) {
  const error = env.errors?.[b.block_id];
  const el = h(
    'div',
    { class: `b-input${error ? ' has-error' : ''}` },
    h(
      'label',
      { class: 'b-label' },
      plainText(b.label),
      b.optional ? h('span', { class: 'optional' }, ' (optional)') : null,
    ),
    renderElement(b.element, b, env, true),
    b.hint ? h('div', { class: 'b-hint' }, plainText(b.hint)) : null,
    error ? h('div', { class: 'b-error', role: 'alert' }, error) : null,
  );
  return el;
}

/** Initial draft value of an input element, in the shape the driver's submitView takes. */
export function initialValue(el) {
  switch (el.type) {
    case 'plain_text_input':
    case 'email_text_input':
    case 'url_text_input':
    case 'number_input':
      return el.initial_value ?? null;
    case 'static_select':
    case 'external_select':
    case 'radio_buttons':
      return el.initial_option?.value ?? null;
    case 'multi_static_select':
    case 'multi_external_select':
    case 'checkboxes':
      return (el.initial_options ?? []).map((o) => o.value);
    case 'users_select':
      return el.initial_user ?? null;
    case 'multi_users_select':
      return el.initial_users ?? [];
    case 'conversations_select':
      return el.initial_conversation ?? null;
    case 'channels_select':
      return el.initial_channel ?? null;
    case 'multi_conversations_select':
      return el.initial_conversations ?? [];
    case 'multi_channels_select':
      return el.initial_channels ?? [];
    case 'datepicker':
      return el.initial_date ?? null;
    case 'timepicker':
      return el.initial_time ?? null;
    case 'file_input':
      return { files: [] };
    default:
      return null;
  }
}

/**
 * One interactive element. In a modal input block its value goes to env.draft; elsewhere a change
 * is a block action (env.act).
 */
function renderElement(el, block, env, isInput) {
  const ids = { actionId: el.action_id, blockId: block.block_id };
  const draftKey = block.block_id;
  const current = isInput ? env.draft.get(draftKey, el) : undefined;
  const dispatch = !isInput || block.dispatch_action === true;
  const changed = (value, label) => {
    if (isInput) env.draft.set(draftKey, value, label);
    if (dispatch) env.act('select', { ...ids, value });
  };
  const placeholder = plainText(el.placeholder);

  switch (el.type) {
    case 'button': {
      const btn = h(
        'button',
        {
          class: `btn ${el.style ? `btn-${el.style}` : ''}`,
          type: 'button',
          dataset: { actionId: el.action_id ?? '', value: el.value ?? '' },
        },
        plainText(el.text),
      );
      if (el.url)
        return h(
          'a',
          {
            class: `btn ${el.style ? `btn-${el.style}` : ''}`,
            href: el.url,
            target: '_blank',
            rel: 'noopener',
          },
          plainText(el.text),
        );
      btn.addEventListener('click', () => {
        if (el.confirm) {
          const c = el.confirm;
          const question = `${plainText(c.title)}\n\n${plainText(c.text)}`;
          env.confirm(question, plainText(c.confirm) || 'Yes', plainText(c.deny) || 'Cancel').then((yes) => {
            if (yes) env.act('click', { ...ids, value: el.value });
          });
          return;
        }
        env.act('click', { ...ids, value: el.value });
      });
      return btn;
    }
    case 'overflow': {
      const sel = h(
        'select',
        { class: 'overflow', 'aria-label': 'More actions', dataset: { actionId: el.action_id ?? '' } },
        h('option', { value: '' }, '⋯'),
        (el.options ?? []).map((o) => h('option', { value: o.value }, plainText(o.text))),
      );
      sel.addEventListener('change', () => {
        if (sel.value) env.act('select', { ...ids, value: sel.value });
        sel.value = '';
      });
      return sel;
    }
    case 'plain_text_input':
    case 'email_text_input':
    case 'url_text_input':
    case 'number_input': {
      const attrs = {
        class: 'text-input',
        placeholder,
        dataset: { actionId: el.action_id ?? '' },
        maxlength: el.max_length,
        name: block.block_id,
      };
      const input = el.multiline
        ? h('textarea', { ...attrs, rows: 5 })
        : h('input', {
            ...attrs,
            type: el.type === 'number_input' ? 'number' : el.type === 'email_text_input' ? 'email' : 'text',
          });
      input.value = current ?? '';
      input.addEventListener('input', () => env.draft.set(draftKey, input.value === '' ? null : input.value));
      if (dispatch && isInput) {
        input.addEventListener('keydown', (e) => {
          if (e.key === 'Enter' && !el.multiline) env.act('select', { ...ids, value: input.value });
        });
      }
      return input;
    }
    case 'static_select':
    case 'users_select':
    case 'conversations_select':
    case 'channels_select': {
      const opts = selectOptions(el, env);
      const sel = h(
        'select',
        { class: 'select', name: block.block_id, dataset: { actionId: el.action_id ?? '' } },
        h('option', { value: '' }, placeholder || 'Select an item'),
        opts.map((o) => h('option', { value: o.value }, o.text)),
      );
      sel.value = (isInput ? current : initialValue(el)) ?? '';
      sel.addEventListener('change', () => changed(sel.value === '' ? null : sel.value));
      return sel;
    }
    case 'multi_static_select':
    case 'multi_users_select':
    case 'multi_conversations_select':
    case 'multi_channels_select': {
      const opts = selectOptions(el, env);
      const chosen = new Set((isInput ? current : initialValue(el)) ?? []);
      const sel = h(
        'select',
        {
          class: 'select multi',
          multiple: true,
          size: Math.min(6, Math.max(3, opts.length)),
          name: block.block_id,
          dataset: { actionId: el.action_id ?? '' },
        },
        opts.map((o) => h('option', { value: o.value, selected: chosen.has(o.value) }, o.text)),
      );
      sel.addEventListener('change', () => changed([...sel.selectedOptions].map((o) => o.value)));
      return sel;
    }
    case 'external_select':
    case 'multi_external_select':
      return typeahead(el, block, env, isInput, changed);
    case 'radio_buttons':
    case 'checkboxes': {
      const multi = el.type === 'checkboxes';
      const chosen = new Set([].concat((isInput ? current : initialValue(el)) ?? []));
      const name = `${block.block_id}-${el.action_id}`;
      const box = h('div', { class: 'choices', dataset: { actionId: el.action_id ?? '' } });
      for (const o of el.options ?? []) {
        const input = h('input', {
          type: multi ? 'checkbox' : 'radio',
          name,
          value: o.value,
          checked: chosen.has(o.value),
        });
        input.addEventListener('change', () => {
          const picked = [...box.querySelectorAll('input:checked')].map((i) => i.value);
          changed(multi ? picked : (picked[0] ?? null));
        });
        box.append(
          h(
            'label',
            { class: 'choice' },
            input,
            h('span', { html: textObject(o.text, env.ctx) }),
            o.description ? h('small', { html: textObject(o.description, env.ctx) }) : null,
          ),
        );
      }
      return box;
    }
    case 'datepicker':
    case 'timepicker': {
      const input = h('input', {
        type: el.type === 'datepicker' ? 'date' : 'time',
        class: 'text-input',
        name: block.block_id,
      });
      input.value = (isInput ? current : initialValue(el)) ?? '';
      input.addEventListener('change', () => changed(input.value || null));
      return input;
    }
    case 'file_input': {
      const input = h('input', {
        type: 'file',
        class: 'file-input',
        name: block.block_id,
        accept: (el.filetypes ?? []).map((t) => `.${t}`).join(',') || undefined,
        multiple: (el.max_files ?? 10) > 1,
      });
      const status = h(
        'span',
        { class: 'file-status' },
        (current?.files?.length ?? 0) > 0 ? `${current.files.length} file(s) attached` : '',
      );
      input.addEventListener('change', async () => {
        status.textContent = 'Uploading…';
        const ids = [];
        for (const f of input.files) ids.push(await env.upload(f));
        env.draft.set(draftKey, { files: ids });
        status.textContent = `${ids.length} file(s) attached`;
      });
      return h('div', { class: 'file-box' }, input, status);
    }
    case 'image':
      return h('img', { src: el.image_url, alt: el.alt_text ?? '', class: 'accessory-img' });
    default:
      return h('span', { class: 'b-unknown' }, `[${el.type}]`);
  }
}

function selectOptions(el, env) {
  switch (el.type) {
    case 'users_select':
    case 'multi_users_select':
      return env.users.map((u) => ({ value: u.id, text: u.real_name || u.name }));
    case 'conversations_select':
    case 'multi_conversations_select':
    case 'channels_select':
    case 'multi_channels_select':
      return env.channels
        .filter((c) => (el.type.includes('channels') ? c.kind === 'public' || c.kind === 'private' : true))
        .map((c) => ({
          value: c.id,
          text: c.kind === 'im' ? `DM ${env.ctx.userName(c.user)}` : `#${c.name}`,
        }));
    default:
      return optionsOf(el).map((o) => ({ value: o.value, text: plainText(o.text) }));
  }
}

/** external_select: type, ask the app for options (block_suggestion), pick. */
function typeahead(el, block, env, isInput, changed) {
  const multi = el.type === 'multi_external_select';
  const minLen = el.min_query_length ?? 3;
  const box = h('div', { class: 'typeahead', dataset: { actionId: el.action_id ?? '' } });
  const chips = h('div', { class: 'chips' });
  const input = h('input', {
    type: 'text',
    class: 'text-input',
    placeholder: plainText(el.placeholder) || 'Type to search',
    autocomplete: 'off',
    name: block.block_id,
  });
  const list = h('ul', { class: 'suggestions', role: 'listbox', hidden: true });
  const picked = [];
  const initial = []
    .concat(el.initial_option ?? [], el.initial_options ?? [])
    .map((o) => ({ value: o.value, text: plainText(o.text) }));
  const fromDraft = isInput ? env.draft.label(block.block_id) : null;
  for (const o of fromDraft ?? initial) picked.push(o);

  const emit = () =>
    changed(
      multi ? picked.map((p) => p.value) : (picked[0]?.value ?? null),
      multi ? picked : picked.slice(0, 1),
    );
  const draw = () => {
    chips.replaceChildren(
      ...picked.map((p) =>
        h(
          'span',
          { class: 'chip' },
          p.text,
          h(
            'button',
            {
              type: 'button',
              class: 'chip-x',
              'aria-label': `Remove ${p.text}`,
              onclick: () => {
                picked.splice(picked.indexOf(p), 1);
                draw();
                emit();
              },
            },
            '×',
          ),
        ),
      ),
    );
    if (!multi)
      input.placeholder = picked[0] ? picked[0].text : plainText(el.placeholder) || 'Type to search';
  };
  let timer = null;
  let seq = 0;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    const q = input.value;
    if (q.length < minLen) {
      list.hidden = true;
      return;
    }
    timer = setTimeout(async () => {
      const mine = ++seq;
      const r = await env.suggest({ actionId: el.action_id, blockId: block.block_id, value: q });
      if (mine !== seq) return;
      const opts = [...(r.options ?? []), ...(r.option_groups ?? []).flatMap((g) => g.options ?? [])];
      list.replaceChildren(
        ...(opts.length
          ? opts.map((o) =>
              h(
                'li',
                {
                  role: 'option',
                  class: 'suggestion',
                  onmousedown: (e) => {
                    e.preventDefault();
                    const item = { value: o.value, text: plainText(o.text) };
                    if (multi) {
                      if (!picked.some((p) => p.value === o.value)) picked.push(item);
                    } else picked.splice(0, picked.length, item);
                    input.value = '';
                    list.hidden = true;
                    draw();
                    emit();
                  },
                },
                plainText(o.text),
              ),
            )
          : [h('li', { class: 'suggestion empty' }, 'No results')]),
      );
      list.hidden = false;
    }, 200);
  });
  input.addEventListener('blur', () =>
    setTimeout(() => {
      list.hidden = true;
    }, 150),
  );
  draw();
  box.append(chips, input, list);
  return box;
}

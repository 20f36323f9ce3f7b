// The "Zoho" side panel: the demo org as the simulator holds it, and switches that break it
// (and put it back) so people can watch the territory health monitor react.
import { h } from './blocks.js';

const REFRESH_MS = 2000;

export function renderZohoPanel(root, { api, runMonitor, insert }) {
  let data = null;
  let lookup = null;
  let busy = false;
  let message = '';
  let selected = '';

  const refresh = async () => {
    try {
      data = await api('zoho/state');
      draw();
    } catch {
      // The page shows the last state; the next tick tries again.
    }
  };
  const run = async (label, fn) => {
    busy = true;
    message = `${label}…`;
    draw();
    try {
      const r = await fn();
      if (r?.territories) data = r;
      message = r?.message ?? `${label}: done`;
    } catch (err) {
      message = `${label} failed: ${err.message}`;
    } finally {
      busy = false;
      draw();
    }
  };
  const action = (label, body) => run(label, () => api('zoho/action', body));

  function tree() {
    const children = new Map();
    for (const t of data.territories) {
      const list = children.get(t.parentId) ?? [];
      list.push(t);
      children.set(t.parentId, list);
    }
    const rows = [];
    const walk = (parentId, depth) => {
      for (const t of (children.get(parentId) ?? []).sort((a, b) => a.name.localeCompare(b.name))) {
        rows.push(
          h(
            'li',
            {
              class: `terr${t.apiUserCanWrite ? '' : ' no-write'}${t.id === selected ? ' selected' : ''}`,
              style: `padding-left:${depth * 14 + 4}px`,
              dataset: { territoryId: t.id, name: t.name },
              title: `${t.name} · ${t.id}`,
              onclick: () => {
                selected = t.id;
                draw();
              },
            },
            h('span', { class: 't-name' }, t.name),
            t.apiUserMember
              ? h('span', { class: 'tag member', title: 'the API user is a member' }, 'API user')
              : null,
            t.permissionType === 'read_only' ? h('span', { class: 'tag ro' }, 'read-only') : null,
            t.apiUserCanWrite
              ? null
              : h(
                  'span',
                  { class: 'tag warn', title: 'the API user cannot assign records here' },
                  'no API access',
                ),
          ),
        );
        walk(t.id, depth + 1);
      }
    };
    walk(null, 0);
    return h('ul', { class: 'tree' }, rows);
  }

  function draw() {
    if (!data) {
      root.replaceChildren(h('h3', {}, 'Zoho CRM'), h('p', {}, 'Loading…'));
      return;
    }
    const sel = data.territories.find((t) => t.id === selected) ?? null;
    const slow = data.latencyMs > 0;
    const recordInput = h('input', {
      type: 'text',
      class: 'text-input',
      id: 'record-lookup',
      placeholder: 'Record id or Leads/<id>',
      value: lookup?.ref ?? '',
    });
    const doLookup = async () => {
      const ref = recordInput.value.trim();
      try {
        lookup = { ref, record: await api(`zoho/record?ref=${encodeURIComponent(ref)}`) };
      } catch (err) {
        lookup = { ref, error: err.message };
      }
      draw();
    };
    recordInput.addEventListener('keydown', (e) => e.key === 'Enter' && doLookup());
    const rec = lookup?.record;
    root.replaceChildren(
      ...[
        h('h3', {}, 'Zoho CRM', h('small', {}, ` ${data.orgName}`)),
        h(
          'div',
          { class: 'z-status' },
          h(
            'div',
            {},
            'Territory management: ',
            h(
              'b',
              { class: data.territoryManagement ? 'ok' : 'bad', id: 'tm-status' },
              data.territoryManagement ? 'on' : 'off',
            ),
          ),
          h('div', {}, 'API user: ', h('b', {}, data.apiUser.name), ` (${data.apiUser.status})`),
          h(
            'div',
            {},
            'Zoho speed: ',
            h('b', { class: slow ? 'bad' : 'ok' }, slow ? `slow (+${data.latencyMs} ms per call)` : 'normal'),
          ),
        ),
        h('h4', {}, 'Break it · repair it'),
        h(
          'div',
          { class: 'z-selected' },
          sel
            ? ['Selected: ', h('b', {}, sel.name)]
            : 'Pick a territory in the tree below for the territory buttons.',
        ),
        h(
          'div',
          { class: 'z-buttons' },
          h(
            'button',
            {
              class: 'btn btn-danger btn-small',
              id: 'z-delete',
              disabled: busy || !sel || !sel.parentId,
              onclick: () =>
                action(`Delete ${sel.name}`, { action: 'delete-territory', territoryId: sel.id }),
            },
            'Delete territory',
          ),
          h(
            'button',
            {
              class: 'btn btn-danger btn-small',
              id: 'z-remove-api-user',
              disabled: busy || !sel?.apiUserMember,
              onclick: () =>
                action(`Remove API user from ${sel.name}`, {
                  action: 'remove-api-user',
                  territoryId: sel.id,
                }),
            },
            'Remove API user',
          ),
          h(
            'button',
            {
              class: 'btn btn-small',
              id: 'z-add-api-user',
              disabled: busy || !sel || sel.apiUserMember,
              onclick: () =>
                action(`Add API user to ${sel.name}`, { action: 'add-api-user', territoryId: sel.id }),
            },
            'Add API user back',
          ),
          data.territoryManagement
            ? h(
                'button',
                {
                  class: 'btn btn-danger btn-small',
                  id: 'z-tm-off',
                  disabled: busy,
                  onclick: () =>
                    action('Territory management off', { action: 'territory-management', enabled: false }),
                },
                'Turn territory management off',
              )
            : h(
                'button',
                {
                  class: 'btn btn-small',
                  id: 'z-tm-on',
                  disabled: busy,
                  onclick: () =>
                    action('Territory management on', { action: 'territory-management', enabled: true }),
                },
                'Turn territory management on',
              ),
          slow
            ? h(
                'button',
                {
                  class: 'btn btn-small',
                  id: 'z-fast',
                  disabled: busy,
                  onclick: () => action('Normal speed', { action: 'latency', ms: 0 }),
                },
                'Normal speed',
              )
            : h(
                'button',
                {
                  class: 'btn btn-danger btn-small',
                  id: 'z-slow',
                  disabled: busy,
                  onclick: () => action('Slow Zoho down', { action: 'latency', ms: data.slowLatencyMs }),
                },
                'Slow Zoho down',
              ),
          h(
            'button',
            {
              class: 'btn btn-primary btn-small',
              id: 'z-run-monitor',
              disabled: busy,
              onclick: () => run('Monitor run', runMonitor),
            },
            'Run monitor now',
          ),
        ),
        h('div', { class: 'z-message', role: 'status' }, message),
        h(
          'p',
          { class: 'hint' },
          'A deleted territory cannot be restored in Zoho; start again with npm start -- --reset.',
        ),
        h('h4', {}, 'Record lookup'),
        h(
          'div',
          { class: 'z-lookup' },
          recordInput,
          h('button', { class: 'btn btn-small', onclick: doLookup }, 'Look up'),
        ),
        lookup?.error ? h('div', { class: 'bad' }, lookup.error) : null,
        rec
          ? h(
              'div',
              { class: 'z-record', id: 'z-record' },
              h(
                'div',
                {},
                h('b', {}, rec.name),
                ` · ${rec.module}/${rec.id}${rec.locked ? ' · locked' : ''}`,
              ),
              h(
                'ul',
                {},
                rec.territories.length
                  ? rec.territories.map((t) =>
                      h('li', {}, `${t.name} (${t.assigned === 'automatically' ? 'by rule' : 'manual'})`),
                    )
                  : h('li', {}, 'no territories'),
              ),
              rec.pendingJob
                ? h(
                    'div',
                    { class: 'tag warn' },
                    `job ${rec.pendingJob.jobId} pending (${rec.pendingJob.source})`,
                  )
                : null,
            )
          : null,
        h('h4', {}, 'Records to try'),
        h(
          'ul',
          { class: 'samples' },
          data.samples.map((r) =>
            h(
              'li',
              { dataset: { record: `${r.module}/${r.id}` } },
              h(
                'button',
                {
                  class: 'link',
                  title: 'Put an assign command in the message box',
                  onclick: () => insert(`/territory assign ${r.module}/${r.id} `),
                },
                `${r.module}/${r.id}`,
              ),
              ` ${r.name}`,
              h(
                'small',
                {},
                r.territories.length
                  ? ` · ${r.territories.map((t) => t.name).join(', ')}`
                  : ' · no territory',
              ),
            ),
          ),
        ),
        h('h4', {}, `Pending jobs (${data.pendingJobs.length})`),
        h(
          'ul',
          { class: 'jobs' },
          data.pendingJobs.slice(0, 20).map((j) => h('li', {}, `${j.module}/${j.recordId} · ${j.source}`)),
        ),
        data.pendingJobs.length
          ? h(
              'button',
              {
                class: 'btn btn-small',
                disabled: busy,
                onclick: () => action('Finish jobs', { action: 'complete-jobs' }),
              },
              'Finish pending jobs now',
            )
          : null,
        h('h4', {}, 'Territories'),
        tree(),
      ].filter(Boolean),
    );
  }

  draw();
  refresh();
  setInterval(() => {
    // Not while someone is typing in the lookup box.
    if (document.activeElement?.id !== 'record-lookup' && !busy) refresh();
  }, REFRESH_MS);
}

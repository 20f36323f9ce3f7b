import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const schemaPath = path.resolve(root, '../shared/reference/slack-manifest-schema/manifest.schema.1.0.0.json');
const haveSchema = existsSync(schemaPath);

type Manifest = {
  features: { slash_commands: Array<{ command: string; url?: string }> };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    socket_mode_enabled: boolean;
    interactivity: { is_enabled: boolean; request_url?: string; message_menu_options_url?: string };
  };
};

const load = (file: string) => parse(readFileSync(path.join(root, file), 'utf8')) as Manifest;
const variants = ['manifest.yml', 'manifest.socket.yml'] as const;

// The scopes the code really calls: commands, chat.postMessage/update, conversations.open (DM),
// usergroups.users.list, files.info + download, the audit CSV upload (files.getUploadURLExternal +
// files.completeUploadExternal), conversations.history/.replies (the outbox reads a conversation
// back before re-posting a message whose answer was lost, so it never posts twice), users.info
// profile email + users.lookupByEmail (the Zoho identity of ACCESS_MODE=zoho). Anything more must
// be justified here first.
const NEEDED_SCOPES = [
  'channels:history',
  'chat:write',
  'commands',
  'files:read',
  'files:write',
  'groups:history',
  'im:history',
  'im:write',
  'usergroups:read',
  'users:read',
  'users:read.email',
];

describe.skipIf(!haveSchema)("manifest against Slack's JSON Schema", () => {
  it.each(variants)('%s is valid', (file) => {
    const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
    // The published schema carries non-standard keywords (`_note`, `regex`): strict mode off.
    const ajv = new Ajv({ strict: false, allErrors: true });
    (addFormatsModule as unknown as (a: Ajv) => void)(ajv);
    const validate = ajv.compile(schema);
    const ok = validate(load(file));
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(ok).toBe(true);
  });
});
if (!haveSchema) {
  console.warn(`SKIPPED Slack manifest schema validation: ${schemaPath} is not present (../shared missing)`);
}

describe('manifest, project rules', () => {
  it.each(variants)('%s declares /territory, interactivity and only the scopes the app uses', (file) => {
    const m = load(file);
    expect(m.features.slash_commands.map((c) => c.command)).toEqual(['/territory']);
    expect(m.settings.interactivity.is_enabled).toBe(true);
    expect([...m.oauth_config.scopes.bot].sort()).toEqual(NEEDED_SCOPES);
  });

  it.each(variants)('%s enables the Home tab and subscribes to app_home_opened', (file) => {
    const m = load(file) as Manifest & {
      features: { app_home?: { home_tab_enabled?: boolean } };
      settings: { event_subscriptions?: { bot_events?: string[]; request_url?: string } };
    };
    expect(m.features.app_home?.home_tab_enabled).toBe(true);
    expect(m.settings.event_subscriptions?.bot_events).toEqual(['app_home_opened']);
    if (file === 'manifest.yml')
      expect(m.settings.event_subscriptions?.request_url).toMatch(/\/slack\/events$/);
    else expect(m.settings.event_subscriptions?.request_url).toBeUndefined();
  });

  it('HTTP variant points every URL at /slack/events; Socket Mode variant has none', () => {
    const http = load('manifest.yml');
    expect(http.settings.socket_mode_enabled).toBe(false);
    const urls = [
      ...http.features.slash_commands.map((c) => c.url),
      http.settings.interactivity.request_url,
      http.settings.interactivity.message_menu_options_url,
    ];
    for (const u of urls) expect(u).toMatch(/^https:\/\/.+\/slack\/events$/);

    const socket = load('manifest.socket.yml');
    expect(socket.settings.socket_mode_enabled).toBe(true);
    expect(socket.features.slash_commands.every((c) => c.url === undefined)).toBe(true);
    expect(socket.settings.interactivity.request_url).toBeUndefined();
  });
});

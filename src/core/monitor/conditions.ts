/**
 * The conditions the monitor alerts on: one fingerprint per condition, each with a title, the
 * cause, concrete fix steps and the territories it affects. Builders only; the checks decide
 * which hold (checks.ts) and the lifecycle decides what to post (alerts.ts).
 *
 * Zoho's admin UI path for territories is Setup > Users and Control > Territory Management.
 */
import type { ZohoModule } from '../zoho/types.js';

export type AlertKind =
  | 'oauth_revoked'
  | 'oauth_scope_missing'
  | 'oauth_invalid_client'
  | 'territory_management_off'
  | 'territory_settings_forbidden'
  | 'api_user_inactive'
  | 'api_user_outside_hierarchy'
  | 'territory_deleted'
  | 'territory_renamed'
  | 'territory_unreadable'
  | 'api_user_not_member'
  | 'api_user_read_only'
  | 'routing_entry_unmatched'
  | 'routing_entry_ambiguous'
  | 'routing_file_invalid'
  | 'monitor_inconclusive';

export const ALL_KINDS: readonly AlertKind[] = [
  'oauth_revoked',
  'oauth_scope_missing',
  'oauth_invalid_client',
  'territory_management_off',
  'territory_settings_forbidden',
  'api_user_inactive',
  'api_user_outside_hierarchy',
  'territory_deleted',
  'territory_renamed',
  'territory_unreadable',
  'api_user_not_member',
  'api_user_read_only',
  'routing_entry_unmatched',
  'routing_entry_ambiguous',
  'routing_file_invalid',
  'monitor_inconclusive',
];

const OAUTH: readonly AlertKind[] = ['oauth_revoked', 'oauth_scope_missing', 'oauth_invalid_client'];
const TERRITORY_LEVEL: readonly AlertKind[] = [
  'territory_deleted',
  'territory_renamed',
  'territory_unreadable',
  'api_user_not_member',
  'api_user_read_only',
  'routing_entry_unmatched',
  'routing_entry_ambiguous',
];
const ACCESS: readonly AlertKind[] = ['api_user_not_member', 'api_user_read_only'];

/**
 * Inhibition (Alertmanager's inhibit_rules): while a source fires, the targets it causes are
 * not posted on their own but listed inside it. Order = precedence when several sources fire.
 */
export const INHIBITION_RULES: ReadonlyArray<{ source: AlertKind; targets: readonly AlertKind[] }> = [
  ...OAUTH.map((source) => ({
    source,
    targets: ALL_KINDS.filter(
      (k) => !OAUTH.includes(k) && k !== 'routing_file_invalid' && k !== 'monitor_inconclusive',
    ),
  })),
  {
    source: 'territory_management_off',
    targets: [
      'territory_settings_forbidden',
      'api_user_inactive',
      'api_user_outside_hierarchy',
      ...TERRITORY_LEVEL,
    ],
  },
  {
    source: 'territory_settings_forbidden',
    targets: ['api_user_inactive', 'api_user_outside_hierarchy', ...TERRITORY_LEVEL],
  },
  { source: 'api_user_inactive', targets: ['api_user_outside_hierarchy', 'territory_unreadable', ...ACCESS] },
  { source: 'api_user_outside_hierarchy', targets: ACCESS },
];

export type Severity = 'critical' | 'warning';

export interface AffectedTerritory {
  id: string | null;
  name: string;
  /** Modules the routing file sends to it (empty: not said). */
  modules: ZohoModule[];
}

export interface AlertCondition {
  fingerprint: string;
  kind: AlertKind;
  /** The territory the condition is about; null for org-wide / API-user-wide. */
  territoryId: string | null;
  severity: Severity;
  title: string;
  cause: string;
  fix: string[];
  affected: AffectedTerritory[];
  /** Machine-readable facts (old/new names, Zoho codes, API user...) for views and audit. */
  facts: Record<string, unknown>;
}

export interface ApiUserRef {
  id: string;
  name: string;
  email: string | null;
}

const TM_PATH = 'Setup > Users and Control > Territory Management';
const SCOPES =
  'ZohoCRM.settings.territories.READ, ZohoCRM.users.READ, ZohoCRM.modules.ALL (or ZohoCRM.modules.{leads,accounts,contacts,deals}.ALL)';
const who = (u: ApiUserRef | null) => (u ? (u.email ?? u.name) : 'the API user');

const newTokenSteps = [
  'In the Zoho API Console (api-console.zoho.<your data centre>), open the Self Client of this bot',
  `Generate a grant code with the scopes ${SCOPES}`,
  'Exchange it for a refresh token (POST <accounts>/oauth/v2/token with grant_type=authorization_code)',
  'Set ZOHO_REFRESH_TOKEN to the new refresh token and restart territory-bot',
];

export function oauthCondition(
  reason: 'revoked' | 'scope' | 'invalid_client',
  zohoMessage: string,
): AlertCondition {
  if (reason === 'revoked') {
    return {
      fingerprint: 'oauth_revoked',
      kind: 'oauth_revoked',
      territoryId: null,
      severity: 'critical',
      title: 'Zoho refresh token no longer works',
      cause:
        'Zoho refused the refresh token: it was revoked, or replaced (Zoho keeps at most 20 refresh tokens ' +
        'per user and the 21st invalidates the oldest). Until it is replaced the bot can neither read nor ' +
        `assign territories. Zoho's answer: ${zohoMessage}`,
      fix: newTokenSteps,
      affected: [],
      facts: { reason, zohoMessage },
    };
  }
  if (reason === 'scope') {
    return {
      fingerprint: 'oauth_scope_missing',
      kind: 'oauth_scope_missing',
      territoryId: null,
      severity: 'critical',
      title: 'The Zoho token lacks a scope the bot needs',
      cause: `The refresh token was made without every scope the bot uses. Zoho's answer: ${zohoMessage}`,
      fix: newTokenSteps,
      affected: [],
      facts: { reason, zohoMessage },
    };
  }
  return {
    fingerprint: 'oauth_invalid_client',
    kind: 'oauth_invalid_client',
    territoryId: null,
    severity: 'critical',
    title: 'Zoho rejects the bot’s client id or secret',
    cause: `The client id or secret is wrong, or the bot talks to the wrong data centre. Zoho's answer: ${zohoMessage}`,
    fix: [
      'In the Zoho API Console, open the Self Client and compare its Client ID and Client Secret with ZOHO_CLIENT_ID and ZOHO_CLIENT_SECRET',
      'Check ZOHO_DC (or ZOHO_ACCOUNTS_URL): it must be the data centre where the Zoho CRM org lives (us, eu, in, au, jp, ca, sa, uk, cn)',
      'Restart territory-bot after changing them',
    ],
    affected: [],
    facts: { reason, zohoMessage },
  };
}

export function territoryManagementOff(code: string, message: string): AlertCondition {
  return {
    fingerprint: 'territory_management_off',
    kind: 'territory_management_off',
    territoryId: null,
    severity: 'critical',
    title: 'Territory management is switched off in Zoho CRM',
    cause: `Listing territories answered 403 ${code} (${message}). No record can be assigned to any territory.`,
    fix: [
      `In Zoho CRM (as an administrator): ${TM_PATH}: enable Territory Management`,
      'Check that the territories the routing needs came back, then run /territory health',
    ],
    affected: [],
    facts: { code, zohoMessage: message },
  };
}

export function territorySettingsForbidden(
  code: string,
  message: string,
  user: ApiUserRef | null,
): AlertCondition {
  return {
    fingerprint: 'territory_settings_forbidden',
    kind: 'territory_settings_forbidden',
    territoryId: null,
    severity: 'critical',
    title: 'The API user may not read territories',
    cause: `Listing territories answered ${code} (${message}): ${who(user)} lacks the permission to read territory settings.`,
    fix: [
      `In Zoho CRM: Setup > Users and Control > Security Control > Profiles: give the profile of ${who(user)} the permission to manage territories (or use the Administrator profile)`,
      'Run /territory health to check',
    ],
    affected: [],
    facts: { code, zohoMessage: message },
  };
}

export function apiUserInactive(user: ApiUserRef, status: string): AlertCondition {
  return {
    fingerprint: 'api_user_inactive',
    kind: 'api_user_inactive',
    territoryId: null,
    severity: 'critical',
    title: `The Zoho API user ${who(user)} is not active`,
    cause: `Zoho reports the user behind the refresh token as "${status}". An inactive user cannot assign territories.`,
    fix: [
      `In Zoho CRM: Setup > Users and Control > Users: activate ${who(user)}`,
      'Or generate a refresh token for an active user that belongs to the territory hierarchy and set ZOHO_REFRESH_TOKEN',
    ],
    affected: [],
    facts: { apiUser: user, status },
  };
}

export function apiUserOutsideHierarchy(
  user: ApiUserRef,
  root: { id: string; name: string } | null,
): AlertCondition {
  const target = root ? `"${root.name}"` : 'the top territory';
  return {
    fingerprint: 'api_user_outside_hierarchy',
    kind: 'api_user_outside_hierarchy',
    territoryId: null,
    severity: 'critical',
    title: `The Zoho API user ${who(user)} belongs to no territory`,
    cause:
      'GET /users/{id}/territories returns nothing for the API user: it was removed from every territory, ' +
      'so it can assign records to none.',
    fix: [
      `In Zoho CRM: ${TM_PATH} > ${target} > Users: add ${who(user)}`,
      `Make sure ${target} has the permission Read/Write/Delete: a membership there covers every territory below it`,
    ],
    affected: [],
    facts: { apiUser: user, rootId: root?.id ?? null },
  };
}

export interface RoutingRef {
  file: string;
  line: number | null;
}
const inFile = (r: RoutingRef | null) =>
  r ? `${r.file}${r.line !== null ? ` (line ${r.line})` : ''}` : null;

export function territoryDeleted(
  t: AffectedTerritory & { id: string },
  routing: RoutingRef | null,
  confirmation: string,
): AlertCondition {
  const file = inFile(routing);
  return {
    fingerprint: `territory_deleted:${t.id}`,
    kind: 'territory_deleted',
    territoryId: t.id,
    severity: 'critical',
    title: `Territory "${t.name}" was deleted`,
    cause: `Territory ${t.id} ("${t.name}") is no longer in Zoho's territory list (${confirmation}). Records can no longer be assigned to it.`,
    fix: file
      ? [
          `If it was deleted by mistake: recreate it in Zoho CRM (${TM_PATH}); the new territory gets a new id`,
          `Update the routing file ${file}: replace id "${t.id}" with the territory that now takes its records; the next run reads it`,
          'Update the lead-routing rules that sent records to it',
        ]
      : [
          `If it was deleted by mistake: recreate it in Zoho CRM (${TM_PATH}); the new territory gets a new id`,
          'Update the lead-routing rules and anything else that sent records to it',
          'No routing file pins this territory, so it leaves the watch list after this alert',
        ],
    affected: [t],
    facts: { territory: t, routing },
  };
}

export function territoryUnreadable(
  t: AffectedTerritory & { id: string },
  code: string,
  message: string,
  user: ApiUserRef | null,
): AlertCondition {
  return {
    fingerprint: `territory_unreadable:${t.id}`,
    kind: 'territory_unreadable',
    territoryId: t.id,
    severity: 'critical',
    title: `The API user cannot read territory "${t.name}"`,
    cause: `Reading territory ${t.id} answered ${code} (${message}).`,
    fix: [
      `In Zoho CRM: ${TM_PATH} > "${t.name}" > Users: add ${who(user)} (or add it to a territory above with Read/Write/Delete)`,
      `Check the profile of ${who(user)} may manage territories (Setup > Users and Control > Security Control > Profiles)`,
    ],
    affected: [t],
    facts: { territory: t, code, zohoMessage: message },
  };
}

export function territoryRenamed(
  t: AffectedTerritory & { id: string },
  oldName: string,
  routing: RoutingRef | null,
): AlertCondition {
  const file = inFile(routing);
  return {
    fingerprint: `territory_renamed:${t.id}`,
    kind: 'territory_renamed',
    territoryId: t.id,
    severity: 'warning',
    title: `Territory "${oldName}" was renamed to "${t.name}"`,
    cause: `Territory ${t.id} is now called "${t.name}" (it was "${oldName}"). Assignment by id keeps working; anything that uses the old name does not.`,
    fix: file
      ? [
          `If the rename was intended: in ${file} set name: "${t.name}" for id "${t.id}"; the next run reads it`,
          `If not: rename it back in Zoho CRM (${TM_PATH} > "${t.name}" > Edit)`,
          'Update lead-routing rules, reports and people that refer to it by name',
        ]
      : [
          `If not intended: rename it back in Zoho CRM (${TM_PATH} > "${t.name}" > Edit)`,
          'Update lead-routing rules, reports and people that refer to it by name',
          'The new name is recorded after this alert; no action is needed for the bot',
        ],
    affected: [t],
    facts: { territory: t, oldName, newName: t.name, routing },
  };
}

/** " (and N territories below it)" when an alert stands for a whole branch. */
function belowSuffix(affected: readonly AffectedTerritory[]): string {
  const below = affected.length - 1;
  return below > 0 ? ` (and ${below} territor${below === 1 ? 'y' : 'ies'} below it)` : '';
}

export function apiUserNotMember(
  top: AffectedTerritory & { id: string },
  affected: AffectedTerritory[],
  user: ApiUserRef,
  parent: { id: string; name: string } | null,
): AlertCondition {
  const also = belowSuffix(affected);
  return {
    fingerprint: `api_user_not_member:${top.id}`,
    kind: 'api_user_not_member',
    territoryId: top.id,
    severity: 'critical',
    title: `The API user cannot assign records to "${top.name}"${also}`,
    cause: `${who(user)} is not a member of "${top.name}" or of any territory above it, so Zoho refuses assignments to it (NO_PERMISSION).`,
    fix: [
      `In Zoho CRM: ${TM_PATH} > "${top.name}" > Users: add ${who(user)}`,
      parent
        ? `Or add ${who(user)} to "${parent.name}" (or any territory above it) with the permission Read/Write/Delete: that covers every territory below`
        : `Make sure "${top.name}" has the permission Read/Write/Delete`,
      'Run /territory health to check',
    ],
    affected,
    facts: { apiUser: user, territory: top, parentId: parent?.id ?? null },
  };
}

export function apiUserReadOnly(
  top: AffectedTerritory & { id: string },
  affected: AffectedTerritory[],
  user: ApiUserRef,
  via: { id: string; name: string },
  /** The nearest territory above `via`, where a writable membership would also do. */
  above: { id: string; name: string } | null,
): AlertCondition {
  const alternative =
    via.id === top.id
      ? above
        ? `Or add ${who(user)} to "${above.name}" (or a territory above it) with the permission Read/Write/Delete`
        : null
      : `Or add ${who(user)} to "${top.name}" itself, with its permission set to Read/Write/Delete`;
  const also = belowSuffix(affected);
  return {
    fingerprint: `api_user_read_only:${top.id}`,
    kind: 'api_user_read_only',
    territoryId: top.id,
    severity: 'critical',
    title: `The API user can only read "${top.name}"${also}`,
    cause:
      via.id === top.id
        ? `${who(user)} is a member of "${top.name}", whose permission is Read Only: it can read its records but not assign them.`
        : `${who(user)} reaches "${top.name}" only through "${via.name}", whose permission is Read Only: it can read records there but not assign them.`,
    fix: [
      `In Zoho CRM: ${TM_PATH} > "${via.name}" > Edit: set Permission to Read/Write/Delete`,
      ...(alternative ? [alternative] : []),
      'Run /territory health to check',
    ],
    affected,
    facts: { apiUser: user, territory: top, via },
  };
}

export function routingEntryUnmatched(
  name: string,
  routing: RoutingRef,
  modules: ZohoModule[],
  previous: { id: string; currentName: string | null } | null,
  suggestions: string[],
): AlertCondition {
  const file = inFile(routing)!;
  const renamed = previous?.currentName ?? null;
  const cause = renamed
    ? `No territory is called "${name}" any more: territory ${previous!.id} was renamed to "${renamed}".`
    : previous
      ? `No territory is called "${name}" any more: territory ${previous.id}, which had that name, was deleted.`
      : `No territory is called "${name}".${suggestions.length ? ` Close names: ${suggestions.map((s) => `"${s}"`).join(', ')}.` : ''}`;
  return {
    fingerprint: `routing_entry_unmatched:${name.trim().toLowerCase()}`,
    kind: 'routing_entry_unmatched',
    territoryId: previous?.id ?? null,
    severity: renamed ? 'warning' : 'critical',
    title: `Routing file entry "${name}" matches no territory`,
    cause: `${cause} The monitor cannot watch this entry and routing by this name fails.`,
    fix: renamed
      ? [
          `If the rename was intended: in ${file} change the entry to name: "${renamed}" (or id: "${previous!.id}"); the next run reads it`,
          `If not: rename the territory back in Zoho CRM (${TM_PATH})`,
        ]
      : [
          `In ${file}: point the entry at an existing territory (name, or quoted id); the next run reads it`,
          `Or recreate the territory "${name}" in Zoho CRM (${TM_PATH})`,
        ],
    affected: [{ id: previous?.id ?? null, name, modules }],
    facts: { name, routing, previous, suggestions },
  };
}

export function routingEntryAmbiguous(
  name: string,
  routing: RoutingRef,
  modules: ZohoModule[],
  candidates: Array<{ id: string; name: string }>,
): AlertCondition {
  const file = inFile(routing)!;
  return {
    fingerprint: `routing_entry_ambiguous:${name.trim().toLowerCase()}`,
    kind: 'routing_entry_ambiguous',
    territoryId: null,
    severity: 'warning',
    title: `Routing file entry "${name}" matches ${candidates.length} territories`,
    cause: `Several territories are called "${name}": ${candidates.map((c) => `${c.id} ("${c.name}")`).join(', ')}. The monitor cannot tell which one the routing means.`,
    fix: [
      `In ${file}: replace name: "${name}" with the quoted id of the right one, e.g. id: "${candidates[0]?.id ?? ''}"; the next run reads it`,
      `Or rename the duplicates in Zoho CRM (${TM_PATH})`,
    ],
    affected: candidates.map((c) => ({ id: c.id, name: c.name, modules })),
    facts: { name, routing, candidates },
  };
}

export function routingFileInvalid(file: string, message: string): AlertCondition {
  return {
    fingerprint: 'routing_file_invalid',
    kind: 'routing_file_invalid',
    territoryId: null,
    severity: 'warning',
    title: 'The routing file changed and is not valid',
    cause: `${message}\nThe monitor keeps using the last valid version of ${file}.`,
    fix: [`Correct ${file} as the message says; the next run picks it up`],
    affected: [],
    facts: { file },
  };
}

/** Runs have been inconclusive for a while (throttled refresh, network, Zoho 5xx): nobody is watching. */
export function monitorInconclusive(sinceIso: string, reason: string): AlertCondition {
  return {
    fingerprint: 'monitor_inconclusive',
    kind: 'monitor_inconclusive',
    territoryId: null,
    severity: 'warning',
    title: 'The territory monitor cannot check Zoho',
    cause: `Every monitor run since ${sinceIso} stopped before judging the territories. Last reason: ${reason}`,
    fix: [
      'Check that the bot reaches Zoho (accounts and API hosts of ZOHO_DC) and Zoho’s status page',
      'If the token refresh is throttled: make sure nothing else uses this refresh token (Zoho allows 10 refreshes per 10 minutes per refresh token)',
      'Run /territory health to see the current reason',
    ],
    affected: [],
    facts: { since: sinceIso },
  };
}

/**
 * The conditions the monitor alerts on: one fingerprint per condition, each with a title, the
 * cause, concrete fix steps and the territories it affects. Builders only; the checks decide
 * which hold (checks.ts) and the lifecycle decides what to post (alerts.ts). This file holds
 * the org-wide conditions; those about one territory or routing entry are in
 * territory-conditions.ts.
 *
 * Zoho's admin UI path for territories is Setup > Users and Control > Territory Management.
 */
import type { ZohoModule } from '../zoho/types.js';
import type { AlertKind, Severity } from './alert-kinds.js';

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

export const TM_PATH = 'Setup > Users and Control > Territory Management';
const SCOPES =
  'ZohoCRM.settings.territories.READ, ZohoCRM.users.READ, ZohoCRM.modules.ALL (or ZohoCRM.modules.{leads,accounts,contacts,deals}.ALL)';
export const who = (u: ApiUserRef | null) => (u ? (u.email ?? u.name) : 'the API user');

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

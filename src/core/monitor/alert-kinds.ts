/**
 * The kinds of condition the monitor alerts on (one union, also the type of a stored alert's
 * kind) and how they inhibit one another.
 */

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

const KNOWN: ReadonlySet<string> = new Set(ALL_KINDS);

/**
 * A stored kind as an AlertKind. A kind this version does not know (a row written by another
 * version, or by hand) is refused with the alert it came from: it could never be judged again.
 */
export function parseAlertKind(value: string, fingerprint: string): AlertKind {
  if (!KNOWN.has(value)) throw new Error(`Alert ${fingerprint} has an unknown kind "${value}"`);
  return value as AlertKind;
}

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

/**
 * What the Zoho client reports about its own calls, for metrics. Core stays free of any metrics
 * library: src/metrics implements this port and the client only calls it.
 */
export interface ZohoCallObserver {
  /**
   * One HTTP attempt (a retried call reports each attempt). `status` is the HTTP status, or
   * `timeout` / `network_error` when no answer came.
   */
  zohoCall(call: { operation: string; status: string; seconds: number }): void;
  /** One token refresh sent to Zoho (or refused locally): `ok`, a ZohoAuthError reason, or `error`. */
  tokenRefresh(outcome: string): void;
}

/**
 * The operation a call performs, from its path (`/crm/v8/Leads/actions/assign_territories` ->
 * `assign_territories`): a small fixed set of label values, never an id.
 */
export function zohoOperation(method: string, path: string): string {
  const parts = path.split('?')[0]?.split('/').filter(Boolean) ?? [];
  // parts: ['crm', 'v8', ...rest]
  const rest = parts.slice(2);
  const [first, second, third, fourth] = rest;
  if (first === 'settings' && second === 'territories') {
    if (third === undefined) return 'list_territories';
    if (fourth === '__child_territories') return 'get_child_territories';
    if (fourth === 'users') return 'get_territory_users';
    return 'get_territory';
  }
  if (first === 'users') return second === undefined ? 'get_users' : 'get_user_territories';
  if (second === 'actions' && third) {
    return third === 'get_feature_specific_info' ? 'get_pending_jobs' : third;
  }
  if (first !== undefined && second === undefined && method === 'GET') return 'get_records';
  return `${method.toLowerCase()}_other`;
}

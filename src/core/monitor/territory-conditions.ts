/**
 * The conditions about one territory (or branch) or one routing-file entry: deleted, renamed,
 * unreadable, not writable by the API user, unmatched or ambiguous names.
 */
import type { ZohoModule } from '../zoho/types.js';
import { type AffectedTerritory, type AlertCondition, type ApiUserRef, TM_PATH, who } from './conditions.js';

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

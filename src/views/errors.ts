/**
 * Error answers (ephemeral): a generic one, unknown and ambiguous territories, and requests
 * Zoho's own rules would reject (checked before calling Zoho, zoho-api.md: a Deal holds 1
 * territory, other records 10; rule-assigned territories cannot be removed).
 */
import type { KnownBlock } from '@slack/types';
import type { ZohoModule } from '../core/zoho/types.js';
import { context, type SlackMessage, section } from './blocks.js';
import {
  moduleSingular,
  NAME_MAX,
  type RecordLinker,
  type RecordRefView,
  recordKey,
  recordLabel,
} from './labels.js';
import { packLines } from './pack.js';
import { escapeTruncate, formatCount, oneLine, plural } from './text.js';

export interface ErrorInput {
  /** What went wrong, as one clear sentence (plain text; escaped here). */
  problem: string;
  /** What the person can do about it (plain text; escaped here). */
  action: string;
  /** A reference to quote to an admin (e.g. a request id or log correlation id). */
  reference?: string | null;
}

export function buildErrorMessage(input: ErrorInput): SlackMessage {
  const problem = escapeTruncate(oneLine(input.problem), 1000);
  const action = escapeTruncate(input.action.trim(), 1500);
  const blocks: KnownBlock[] = [section(`:x: ${problem}`), section(`*What to do:* ${action}`)];
  if (input.reference)
    blocks.push(context(`Reference: \`${escapeTruncate(oneLine(input.reference), 200)}\``));
  return { text: `Error: ${escapeTruncate(oneLine(input.problem), 300)}`, blocks };
}

export interface TerritoryCandidate {
  id: string;
  name: string;
  /** Names from the root down to the territory's parent, for telling namesakes apart. */
  path?: readonly string[];
}

export interface UnknownTerritoryInput {
  /** What the person typed. */
  query: string;
  /** Closest names, best first. */
  suggestions: readonly TerritoryCandidate[];
}

const MAX_SUGGESTIONS = 8;

export function buildUnknownTerritoryMessage(input: UnknownTerritoryInput): SlackMessage {
  const query = escapeTruncate(oneLine(input.query), NAME_MAX);
  const blocks: KnownBlock[] = [section(`:mag: No territory is called *${query}*.`)];
  const suggestions = input.suggestions.slice(0, MAX_SUGGESTIONS);
  if (suggestions.length > 0) {
    blocks.push(section(`*Did you mean:*\n${suggestions.map((s) => `• ${candidateLine(s)}`).join('\n')}`));
  }
  blocks.push(
    context('Use the exact name or the territory ID. `/territory list <filter>` shows the territory tree.'),
  );
  const text =
    suggestions.length > 0
      ? `No territory called "${escapeTruncate(oneLine(input.query), 60)}". Did you mean ${suggestions
          .slice(0, 3)
          .map((s) => escapeTruncate(oneLine(s.name), 40))
          .join(', ')}?`
      : `No territory called "${escapeTruncate(oneLine(input.query), 60)}".`;
  return { text, blocks };
}

export interface AmbiguousTerritoryInput {
  query: string;
  candidates: readonly TerritoryCandidate[];
}

export function buildAmbiguousTerritoryMessage(input: AmbiguousTerritoryInput): SlackMessage {
  const query = escapeTruncate(oneLine(input.query), NAME_MAX);
  const lines = input.candidates.map((c) => `• ${candidateLine(c)} — ID \`${escapeTruncate(c.id, 40)}\``);
  const packed = packLines(lines, { maxBlocks: 10, maxChars: 8000 });
  return {
    text: `"${escapeTruncate(oneLine(input.query), 60)}" matches ${plural(input.candidates.length, 'territory', 'territories')}: use its ID.`,
    blocks: [
      section(
        `:twisted_rightwards_arrows: *${query}* matches ${formatCount(input.candidates.length)} territories:`,
      ),
      ...packed.blocks,
      context('Type the territory ID instead of the name to pick one.'),
    ],
  };
}

function candidateLine(c: TerritoryCandidate): string {
  const name = `*${escapeTruncate(oneLine(c.name), NAME_MAX)}*`;
  if (!c.path || c.path.length === 0) return name;
  // Long paths keep their ends: the root and the direct parent tell namesakes apart.
  const parts = c.path.map((p) => escapeTruncate(oneLine(p), 30));
  const shown = parts.length > 4 ? [parts[0], '…', ...parts.slice(-2)] : parts;
  return `${name} (in ${shown.join(' › ')})`;
}

/** Why a change would be refused by Zoho, found before calling it. */
export type ZohoRuleBlock =
  | { kind: 'deal_has_territory'; currentTerritory: string }
  | { kind: 'deal_single_territory'; requested: number }
  | { kind: 'record_at_limit'; current: number; adding: number; limit: number }
  | { kind: 'rule_assigned'; territories: readonly string[] }
  | { kind: 'already_assigned'; territories: readonly string[] }
  | { kind: 'not_assigned'; territories: readonly string[] }
  | { kind: 'territories_not_enabled'; module: ZohoModule }
  | { kind: 'no_write_access'; territories: readonly string[] };

export interface BlockedInput {
  record: RecordRefView;
  blocks: readonly ZohoRuleBlock[];
  /** Territory the person asked for, to spell out the suggested `/territory move`. */
  requestedTerritory?: string | null;
  recordUrl?: RecordLinker;
}

export function buildBlockedByZohoMessage(input: BlockedInput): SlackMessage {
  const record = recordLabel(input.record, input.recordUrl);
  const key = recordKey(input.record);
  const reasons = input.blocks.map(
    (b) => `• ${explainBlock(b, input.record.module, key, input.requestedTerritory)}`,
  );
  const packed = packLines(reasons, { maxBlocks: 8, maxChars: 9000 });
  return {
    text: `Zoho would refuse this change to ${key}: ${input.blocks.map((b) => b.kind.replace(/_/g, ' ')).join(', ')}`,
    blocks: [
      section(`:no_entry: Nothing was changed on ${record}: Zoho's rules would refuse it.`),
      ...packed.blocks,
    ],
  };
}

function names(list: readonly string[]): string {
  const shown = list.slice(0, 5).map((n) => `*${escapeTruncate(oneLine(n), NAME_MAX)}*`);
  return list.length > 5 ? `${shown.join(', ')} and ${formatCount(list.length - 5)} more` : shown.join(', ');
}

function explainBlock(b: ZohoRuleBlock, module: ZohoModule, key: string, requested?: string | null): string {
  const target = requested ? escapeTruncate(oneLine(requested), NAME_MAX) : '<territory>';
  switch (b.kind) {
    case 'deal_has_territory':
      return (
        `This Deal already has a territory (*${escapeTruncate(oneLine(b.currentTerritory), NAME_MAX)}*) and a Deal holds only one. ` +
        `To change it, use \`/territory move ${key} ${target}\`.`
      );
    case 'deal_single_territory':
      return `A Deal holds exactly one territory; you asked for ${formatCount(b.requested)}. Pick one.`;
    case 'record_at_limit':
      return (
        `This ${moduleSingular(module)} has ${formatCount(b.current)} territories; adding ${formatCount(b.adding)} would pass ` +
        `Zoho's limit of ${formatCount(b.limit)}. Remove some first (\`/territory remove ${key} <territory>\`) or use \`/territory move\`.`
      );
    case 'rule_assigned':
      return (
        `${names(b.territories)} ${b.territories.length === 1 ? 'was' : 'were'} assigned by Zoho territory rules and cannot be removed through the API. ` +
        'Change the rule in Zoho (Setup › Territory Management) or the record fields the rule matches.'
      );
    case 'already_assigned':
      return `${names(b.territories)} ${b.territories.length === 1 ? 'is' : 'are'} already on this record: nothing to add.`;
    case 'not_assigned':
      return `${names(b.territories)} ${b.territories.length === 1 ? 'is' : 'are'} not on this record: nothing to remove. \`/territory show ${key}\` lists its territories.`;
    case 'territories_not_enabled':
      return `Territory management is not enabled for ${b.module} in this Zoho org. An admin can enable it in Zoho (Setup › Territory Management).`;
    case 'no_write_access':
      return (
        `The bot's Zoho user cannot assign to ${names(b.territories)} (no read-write membership in it or a parent territory). ` +
        'Ask a Zoho admin to add the API user to the territory with read-write access; `/territory health` shows the details.'
      );
  }
}

/** Splits the text of `/territory …` into a subcommand and its arguments (DESIGN.md §2). */

export const SUBCOMMANDS = [
  'help',
  'assign',
  'remove',
  'move',
  'bulk',
  'show',
  'list',
  'health',
  'requests',
  'audit',
  'undo',
] as const;
export type Subcommand = (typeof SUBCOMMANDS)[number];

export type ParsedCommand =
  | { sub: 'help' | 'bulk' | 'health' | 'requests' }
  /** territories: the rest of the line as typed; core resolves it (a name may hold a comma). */
  | { sub: 'assign' | 'remove' | 'move'; record: string | null; territories: string }
  | { sub: 'show'; record: string | null }
  | { sub: 'list'; filter: string }
  /** filter: a record, a person or `since <date>`, as typed (core/audit parses it). */
  | { sub: 'audit'; filter: string }
  /** request: the request id as typed (null: none given). */
  | { sub: 'undo'; request: string | null }
  | { sub: 'unknown'; word: string };

/** Words people type for a subcommand, beyond its own name. */
const ALIASES: Record<string, Subcommand> = {
  '': 'help',
  '?': 'help',
  add: 'assign',
  unassign: 'remove',
  replace: 'move',
  status: 'requests',
  check: 'health',
  tree: 'list',
  revert: 'undo',
};

export function parseCommandText(text: string): ParsedCommand {
  const trimmed = text.trim();
  const first = trimmed.split(/\s+/)[0] ?? '';
  const word = first.toLowerCase();
  const sub = (SUBCOMMANDS as readonly string[]).includes(word) ? (word as Subcommand) : ALIASES[word];
  const remainder = trimmed.slice(first.length).trim();
  switch (sub) {
    case 'assign':
    case 'remove':
    case 'move': {
      if (remainder === '') return { sub, record: null, territories: '' };
      // The record is one token (URL or Module/ID); everything after it names the territories.
      const record = remainder.split(/\s+/)[0] ?? '';
      return { sub, record, territories: remainder.slice(record.length).trim() };
    }
    case 'show':
      return { sub, record: remainder === '' ? null : (remainder.split(/\s+/)[0] ?? null) };
    case 'list':
      return { sub, filter: remainder };
    case 'audit':
      return { sub, filter: remainder };
    case 'undo':
      return { sub, request: remainder === '' ? null : (remainder.split(/\s+/)[0] ?? null) };
    case 'help':
    case 'bulk':
    case 'health':
    case 'requests':
      return { sub };
    default:
      return { sub: 'unknown', word: first };
  }
}

/**
 * The answer to a territory type-ahead (`app.options(ACTION.territorySearch)` → `ack(...)`):
 * at most 100 options, text cut to 75 characters (select limits, slack-platform.md §3.4).
 * The parent's name is added so namesakes can be told apart.
 */
import type { PlainTextOption } from '@slack/types';
import { LIMITS, option } from './blocks.js';
import { oneLine, truncate } from './text.js';

export interface TerritoryMatch {
  id: string;
  name: string;
  /** Name of the parent territory, if any. */
  parentName?: string | null;
  /** Shown as "(cannot be used)" and still listed, so people learn why it is missing. */
  unusable?: boolean;
}

export function buildTerritoryOptions(matches: readonly TerritoryMatch[]): { options: PlainTextOption[] } {
  const options = matches.slice(0, LIMITS.selectOptions).map((m) => {
    const name = oneLine(m.name) || m.id;
    const parent = m.parentName ? ` · ${oneLine(m.parentName)}` : '';
    const flag = m.unusable ? ' (cannot be used)' : '';
    // Keep the flag visible: the name and parent give way first.
    const room = LIMITS.optionText - flag.length;
    return option(`${truncate(`${name}${parent}`, room)}${flag}`, m.id);
  });
  return { options };
}

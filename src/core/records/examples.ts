/**
 * The records and territories people are shown as examples (help, usage messages, form hints).
 * They exist in the sandbox's demo org (src/sandbox/zoho/seed.ts), so a newcomer can copy them
 * there and see them work; test/unit/views/examples.test.ts checks they still resolve.
 */

/** The demo org's id, as in its record links. */
export const EXAMPLE_ORG_ID = '60012345678';

export const EXAMPLES = {
  /** A Lead with no territory yet. */
  lead: { module: 'Leads', id: '5725767000000300013', territories: ['US West', 'DACH'] },
  /** An Account with one manual territory, Southeast. */
  account: { module: 'Accounts', id: '5725767000000400004', territories: ['Southeast'] },
  /** A Deal in Ontario (a Deal holds one territory: it moves). */
  deal: { module: 'Deals', id: '5725767000000600012', territories: ['Quebec'] },
  /** A Contact with two manual territories. */
  contact: { module: 'Contacts', id: '5725767000000500007', territories: [] },
} as const;

export const EXAMPLE_RECORD_ID = EXAMPLES.lead.id;

/** `Leads/5725767000000300013`. */
export function exampleRef(which: keyof typeof EXAMPLES): string {
  return `${EXAMPLES[which].module}/${EXAMPLES[which].id}`;
}

/** The record's link in Zoho CRM's web UI (US data centre), as people paste it. */
export function exampleUrl(which: keyof typeof EXAMPLES): string {
  const e = EXAMPLES[which];
  const tab = e.module === 'Deals' ? 'Potentials' : e.module;
  return `https://crm.zoho.com/crm/org${EXAMPLE_ORG_ID}/tab/${tab}/${e.id}`;
}

/** `Leads/5725767000000300013 US West, DACH`: the arguments of an example command. */
export function exampleArgs(which: keyof typeof EXAMPLES, count = 1): string {
  return `${exampleRef(which)} ${EXAMPLES[which].territories.slice(0, count).join(', ')}`;
}

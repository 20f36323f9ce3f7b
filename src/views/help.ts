/** `/territory help`: every subcommand of DESIGN.md §2 with an example. */
import { EXAMPLES, exampleArgs, exampleRef, exampleUrl } from '../core/records/examples.js';
import { context, divider, header, type SlackMessage, section } from './blocks.js';

interface HelpEntry {
  usage: string;
  what: string;
  example: string;
}

const ENTRIES: readonly HelpEntry[] = [
  {
    usage: '/territory assign <record> <territory>[, <territory>…]',
    what: 'Assign territories to one record at once. Without arguments it opens a form.',
    example: `/territory assign ${exampleArgs('lead', 2)}`,
  },
  {
    usage: '/territory remove <record> <territory>[, …]',
    what: 'Remove territories from a record (territories set by Zoho rules cannot be removed).',
    example: `/territory remove ${exampleUrl('account')} ${EXAMPLES.account.territories[0]}`,
  },
  {
    usage: '/territory move <record> <territory>',
    what: "Replace the record's manual territories. This is how a Deal changes territory (a Deal holds one).",
    example: `/territory move ${exampleArgs('deal')}`,
  },
  {
    usage: '/territory bulk',
    what: 'Open the bulk form: paste a list or attach a CSV, pick a default territory, give a reason. Large lists go to a manager for approval.',
    example: '/territory bulk',
  },
  {
    usage: '/territory show <record>',
    what: "A record's territories (manual or by rule), pending jobs and the last change made through the bot.",
    example: `/territory show ${exampleRef('contact')}`,
  },
  {
    usage: '/territory list [filter]',
    what: 'The territory tree, marking territories the bot cannot use.',
    example: '/territory list emea',
  },
  {
    usage: '/territory health',
    what: 'Run the territory health checks now and show the result and open alerts.',
    example: '/territory health',
  },
  {
    usage: '/territory requests',
    what: 'Your recent requests and where each stands; approvers also see what waits for them.',
    example: '/territory requests',
  },
  {
    usage: '/territory undo <request>',
    what: 'Put every record of a finished request back to the territories it had before: a new request, under the same rules (only its requester or an admin may). Records changed since are left as they are, with the reason.',
    example: '/territory undo <request id from /territory requests>',
  },
  {
    usage: '/territory audit [<record> | @person | since <date>]',
    what: 'The audit trail as a CSV file in your DM with the bot: who asked, who decided, what changed in Zoho. Approvers get every request; others their own and the records those touched.',
    example: '/territory audit since 2026-01-01',
  },
  { usage: '/territory help', what: 'This list.', example: '/territory help' },
];

export function buildHelpMessage(): SlackMessage {
  const blocks = [
    header('/territory — Zoho CRM territories from Slack'),
    ...ENTRIES.map((e) => section(`*\`${e.usage}\`*\n${e.what}\nExample: \`${e.example}\``)),
    divider(),
    section(
      [
        '*<record>* is a Zoho CRM record URL, or `Module/ID` such as `' +
          exampleRef('lead') +
          '` ' +
          '(Leads, Accounts, Contacts or Deals; singular or plural; `Potentials` means Deals).',
        '*<territory>* is a territory name (any case) or its ID. Separate several with commas.',
        '*Pasted lists* (bulk): one record per line, `<record>` or `<record>, <territory>[; <territory>]`. ' +
          'Blank lines and lines starting with `#` are ignored; a `record,territory` header is allowed.',
      ].join('\n'),
    ),
    context(
      'Changes run as Zoho background jobs: results are posted in the thread of your request, mentioning you.',
    ),
  ];
  return {
    text: 'territory-bot commands: assign, remove, move, bulk, show, list, health, requests, undo, audit, help',
    blocks,
  };
}

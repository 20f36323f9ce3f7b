/**
 * The sandbox's default workspace: one person per role, channels with and without the bot.
 * Rita, Raj and Mona have the emails of Zoho users of the demo org (src/sandbox/zoho/seed.ts:
 * California rep, Texas rep, manager of Americas); Omar and Uma have no Zoho user.
 */
import type { WorkspaceSeed } from './types.js';

export const DEMO_IDS = {
  rep: 'U0REP00001',
  rep2: 'U0REP00002',
  manager: 'U0MGR00001',
  ops: 'U0OPS00001',
  /** In Slack, not in Zoho CRM: may use help, list and requests only (DESIGN.md §4). */
  unmapped: 'U0UNMAP001',
  general: 'C0GENERAL1',
  sales: 'C0SALES001',
  approvals: 'C0APPROVE1',
  opsAlerts: 'C0OPSALRT1',
  /** Public channel the bot has not joined (DM fallback). */
  random: 'C0RANDOM01',
  /** Private channel the bot is not in (invisible to it). */
  secret: 'C0SECRET01',
  approvers: 'S0APPROVE1',
} as const;

export function demoWorkspace(): WorkspaceSeed {
  const all = [DEMO_IDS.rep, DEMO_IDS.rep2, DEMO_IDS.manager, DEMO_IDS.ops];
  return {
    team: { id: 'T0EMULATOR', domain: 'territory-sandbox', name: 'Territory Sandbox' },
    bot: { userId: 'U0BOT00001', botId: 'B0BOT00001', appId: 'A0APP00001', name: 'territory-bot' },
    users: [
      {
        id: DEMO_IDS.rep,
        name: 'rita.rep',
        real_name: 'Rita Rep',
        is_bot: false,
        role: 'rep',
        email: 'ritarep00@tbsim.com',
      },
      {
        id: DEMO_IDS.rep2,
        name: 'raj.rep',
        real_name: 'Raj Rep',
        is_bot: false,
        role: 'rep',
        email: 'rajrep000@tbsim.com',
      },
      {
        id: DEMO_IDS.manager,
        name: 'mona.manager',
        real_name: 'Mona Manager',
        is_bot: false,
        role: 'manager',
        email: 'monamanager@tbsim.com',
      },
      {
        id: DEMO_IDS.ops,
        name: 'omar.ops',
        real_name: 'Omar Ops',
        is_bot: false,
        role: 'ops',
        email: 'omar@example.com',
      },
      {
        id: DEMO_IDS.unmapped,
        name: 'uma.guest',
        real_name: 'Uma Guest',
        is_bot: false,
        role: 'rep',
        email: 'uma@example.com',
      },
    ],
    usergroups: [
      {
        id: DEMO_IDS.approvers,
        handle: 'territory-approvers',
        name: 'Territory approvers',
        users: [DEMO_IDS.manager],
      },
    ],
    channels: [
      { id: DEMO_IDS.general, name: 'general', members: all, botMember: true },
      {
        id: DEMO_IDS.sales,
        name: 'sales',
        members: [DEMO_IDS.rep, DEMO_IDS.rep2, DEMO_IDS.manager],
        botMember: true,
      },
      { id: DEMO_IDS.approvals, name: 'territory-approvals', members: [DEMO_IDS.manager], botMember: true },
      { id: DEMO_IDS.opsAlerts, name: 'ops-alerts', members: [DEMO_IDS.ops], botMember: true },
      { id: DEMO_IDS.random, name: 'random', members: all, botMember: false },
      {
        id: DEMO_IDS.secret,
        name: 'secret-deals',
        kind: 'private',
        members: [DEMO_IDS.rep],
        botMember: false,
      },
    ],
  };
}

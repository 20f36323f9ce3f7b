/**
 * Fakes for calling listeners directly, as Slack's TypeScript starter tests do: a BotServices
 * over an in-memory SQLite store, the real catalog and approvals over a tiny scripted Zoho, and
 * recording ack/respond/client. No Bolt App, no HTTP.
 */
import { vi } from 'vitest';
import { AccessService, IdentityMap, ZohoUserDirectory } from '../../../src/core/access/index.js';
import {
  type ApprovalPolicy,
  ApprovalService,
  type GroupDirectory,
} from '../../../src/core/approvals/index.js';
import type { SingleRequestInput } from '../../../src/core/assignment/engine-single.js';
import { RequestProgress } from '../../../src/core/assignment/progress.js';
import {
  type AskedSingleInput,
  SingleCheck,
  ZOHO_WAIT_CEILING_MS,
  ZOHO_WAIT_RETRY,
} from '../../../src/core/assignment/single-check.js';
import { ManualClock } from '../../../src/core/clock.js';
import { type AppConfig, loadConfig } from '../../../src/core/config/index.js';
import { RequestFinisher } from '../../../src/core/jobs/request-finisher.js';
import { createLogger } from '../../../src/core/log.js';
import type { RequestNotifier } from '../../../src/core/notify.js';
import type { RequestStarter } from '../../../src/core/requests/index.js';
import { openStore } from '../../../src/core/store/index.js';
import type { NewRequestItem, RequestState, Store } from '../../../src/core/store/types.js';
import { TerritoryCatalog } from '../../../src/core/territories/index.js';
import type { Territory, ZohoApi, ZohoModule, ZohoRecord } from '../../../src/core/zoho/types.js';
import type { BotServices } from '../../../src/slack/context.js';
import { demoTerritories } from '../territories/fixtures.js';

export const REC = '3652397000001234567';
export const NOW = Date.UTC(2026, 10, 23, 12);

export function testConfig(): AppConfig {
  const r = loadConfig({
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: 'secret',
    ZOHO_CLIENT_ID: '1000.CLIENT',
    ZOHO_CLIENT_SECRET: 'zoho-secret',
    ZOHO_REFRESH_TOKEN: '1000.aaaa.bbbb',
    OPS_CHANNEL: 'C0OPS',
    APPROVER_USER_IDS: 'UMGR',
    APPROVAL_THRESHOLD: '5',
  });
  if (!r.ok) throw new Error(r.problems.join('\n'));
  return r.config;
}

/** The Zoho reads listeners reach (through core): records by id and the territory list. */
export function scriptedZoho(records: ZohoRecord[] = [], territories: Territory[] = demoTerritories().all) {
  const reads: Array<{ module: ZohoModule; ids: string[] }> = [];
  const api = {
    listTerritories: async () => territories,
    getRecords: async (module: ZohoModule, ids: readonly string[]) => {
      reads.push({ module, ids: [...ids] });
      return records.filter((r) => r.module === module && ids.includes(r.id));
    },
    getPendingJobs: async () => [],
  };
  return { api: api as unknown as ZohoApi, reads };
}

export function record(
  module: ZohoModule,
  id: string,
  territories: ZohoRecord['territories'] = [],
): ZohoRecord {
  return { module, id, name: `Record ${id.slice(-4)}`, territories } as ZohoRecord;
}

export class RecordingNotifier implements RequestNotifier {
  calls: Array<[string, string]> = [];
  private rec(kind: string, id: string) {
    this.calls.push([kind, id]);
    return Promise.resolve();
  }
  requestCreated = (id: string) => this.rec('requestCreated', id);
  requestUpdated = (id: string) => this.rec('requestUpdated', id);
  requestFinished = (id: string) => this.rec('requestFinished', id);
  approvalRequested = (id: string) => this.rec('approvalRequested', id);
  approvalDecided = (id: string) => this.rec('approvalDecided', id);
}

export interface FakeServices extends BotServices {
  notifierCalls: RecordingNotifier;
  /** Requests handed to the starter (the engine would run them). */
  started: string[];
  /** Single requests the engine was asked to store. */
  singles: SingleRequestInput[];
  zohoReads: Array<{ module: ZohoModule; ids: string[] }>;
}

export async function fakeServices(
  options: {
    records?: ZohoRecord[];
    territories?: Territory[];
    policy?: Partial<ApprovalPolicy>;
    groups?: Record<string, string[]>;
  } = {},
): Promise<FakeServices> {
  const config = testConfig();
  const clock = new ManualClock(NOW);
  const logger = createLogger('silent');
  const store = await openStore('sqlite::memory:', { clock });
  const zoho = scriptedZoho(options.records ?? [], options.territories);
  const catalog = new TerritoryCatalog({ api: zoho.api, clock });
  const notifier = new RecordingNotifier();
  const started: string[] = [];
  const singles: SingleRequestInput[] = [];
  const starter: RequestStarter = {
    start: async (id) => {
      started.push(id);
    },
  };
  const policy: ApprovalPolicy = {
    approverUserIds: ['UMGR'],
    approverUsergroup: null,
    requesterUsergroup: null,
    opsUserIds: ['UOPS'],
    approvalThreshold: 5,
    approvalTtlHours: 72,
    ...options.policy,
  };
  const directory: GroupDirectory = { members: async (id) => options.groups?.[id] ?? [] };
  const approvals = new ApprovalService({ store, notifier, clock, policy, directory, starter, logger });
  let n = 0;
  // The real "store first, then read" phase over the scripted Zoho; planned changes are recorded.
  const check = new SingleCheck({
    store,
    zoho: zoho.api,
    catalog,
    progress: new RequestProgress(notifier, logger),
    finisher: new RequestFinisher({ store, notifier, clock, logger }),
    clock,
    logger,
    random: () => 0.5,
    ceilingMs: ZOHO_WAIT_CEILING_MS,
    retry: ZOHO_WAIT_RETRY,
  });
  const engine = {
    storeAsked: (input: AskedSingleInput) => check.store(input, `single-${++n}`),
    checkAsked: async (id: string) => {
      const outcome = await check.check(id);
      const request = await store.getRequest(id);
      const item = await store.getItem(id, 0);
      if (outcome.kind === 'planned' && request && item) {
        singles.push({
          requesterId: request.requesterId,
          originChannelId: request.originChannelId,
          action: item.action,
          module: item.module,
          recordId: item.recordId,
          territoryIds: item.territoryIds,
          removeTerritoryIds: item.removeTerritoryIds,
          before: item.before,
          summary: request.summary,
        });
      }
      return outcome;
    },
    createSingle: async (input: SingleRequestInput) => {
      singles.push(input);
      const { buildSingleRequest } = await import('../../../src/core/assignment/engine-single.js');
      const built = buildSingleRequest(input, `single-${++n}`, clock.now());
      return store.createRequest(built.request, built.items);
    },
  };
  // Open mode: the listeners' tests cover parsing and rendering; the policy has its own tests.
  const access = new AccessService({
    settings: { mode: 'open', maxDirectChangesPerHour: 200, approvalThreshold: policy.approvalThreshold },
    identity: new IdentityMap({
      users: new ZohoUserDirectory({ api: { listActiveUsers: async () => [] }, clock }),
      profiles: { emailOf: async () => null },
      clock,
    }),
    catalog,
    zoho: zoho.api,
    store,
    clock,
  });
  const services = {
    config,
    logger,
    clock,
    store,
    access,
    zoho: zoho.api,
    catalog,
    assignment: { engine } as unknown as BotServices['assignment'],
    approvals,
    starter,
    policy,
    directory,
    monitor: {} as BotServices['monitor'],
    notifier,
    notifierCalls: notifier,
    started,
    singles,
    zohoReads: zoho.reads,
  };
  return services;
}

let seq = 0;
/** A stored bulk request with `itemCount` pending items assigning US West. */
export async function storedBulk(
  store: Store,
  opts: {
    state?: RequestState;
    itemCount?: number;
    requesterId?: string;
    itemState?: 'pending' | 'skipped';
  } = {},
): Promise<string> {
  const id = `req-${++seq}`;
  const itemCount = opts.itemCount ?? 3;
  const items: NewRequestItem[] = Array.from({ length: itemCount }, (_, i) => ({
    seq: i,
    lineNo: i + 1,
    module: 'Leads' as const,
    recordId: String(3652397000001000000n + BigInt(i)),
    action: 'assign' as const,
    territoryIds: [demoTerritories().usWest.id],
    removeTerritoryIds: [],
    before: [],
    ...(opts.itemState === 'skipped' ? { state: 'skipped' as const, message: 'already there' } : {}),
  }));
  await store.createRequest(
    {
      id,
      kind: 'bulk',
      state: opts.state ?? 'draft',
      requesterId: opts.requesterId ?? 'UREP',
      originChannelId: 'CSALES',
      reason: 'Q3 re-territory',
      itemCount,
      summary: {},
      createdAt: NOW,
      expiresAt: null,
    },
    items,
  );
  return id;
}

/** Recording ack/respond and a Web API client with the methods listeners call. */
export function fakeSlack() {
  const ack = vi.fn(async (_response?: unknown) => {});
  const respond = vi.fn(async (_message: unknown) => {});
  const client = {
    views: {
      open: vi.fn(async (_args: unknown) => ({ ok: true, view: { id: 'V-OPENED' } })),
      update: vi.fn(async (_args: unknown) => ({ ok: true })),
    },
    chat: {
      postMessage: vi.fn(async (_args: unknown) => ({ ok: true, ts: '1.1' })),
      postEphemeral: vi.fn(async (_args: unknown) => ({ ok: true })),
    },
    conversations: { open: vi.fn(async (_args: unknown) => ({ ok: true, channel: { id: 'D-DM' } })) },
    filesUploadV2: vi.fn(async (_args: unknown) => ({ ok: true, files: [] })),
  };
  const logger = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  return { ack, respond, client, logger, context: {}, next: vi.fn(), say: vi.fn() };
}

/** `/territory <text>` as Bolt hands it to a command listener. */
export function commandArgs(text: string, user = 'UREP') {
  const slack = fakeSlack();
  const command = {
    command: '/territory',
    text,
    user_id: user,
    channel_id: 'CSALES',
    trigger_id: 'T-1',
    response_url: 'https://hooks.slack.test/commands/1',
    team_id: 'T0',
  };
  return { ...slack, command, body: command, payload: command };
}

/** A view submission whose state holds `values`. */
export function viewArgs(
  values: Record<string, Record<string, unknown>>,
  privateMetadata = '',
  user = 'UREP',
) {
  const slack = fakeSlack();
  const view = { id: 'V-1', hash: 'h-1', private_metadata: privateMetadata, state: { values } };
  return { ...slack, view, body: { user: { id: user }, view }, payload: view };
}

/** A button click (block_actions) with `value`, optionally inside a modal. */
export function actionArgs(value: string, opts: { user?: string; view?: { private_metadata: string } } = {}) {
  const slack = fakeSlack();
  const action = { type: 'button', action_id: 'a', block_id: 'b', value };
  const view = opts.view ? { id: 'V-1', hash: 'h-1', ...opts.view } : undefined;
  return {
    ...slack,
    action,
    body: { user: { id: opts.user ?? 'UREP' }, trigger_id: 'T-2', view },
    payload: action,
  };
}

/** Listeners are typed for Bolt's full argument object; the fakes carry what they read. */
export function asArgs<T>(args: unknown): T {
  return args as T;
}

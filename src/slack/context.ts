/**
 * Everything a listener may use. Built once in src/bot.ts; listeners stay thin: parse the
 * Slack payload, call into these services, render src/views.
 */
import type { AccessService } from '../core/access/index.js';
import type { ApprovalPolicy, ApprovalService, GroupDirectory } from '../core/approvals/index.js';
import type { AssignmentService } from '../core/assignment/engine-service.js';
import type { Clock } from '../core/clock.js';
import type { AppConfig } from '../core/config/index.js';
import type { Logger } from '../core/log.js';
import type { MonitorRunner } from '../core/monitor/index.js';
import type { RequestNotifier } from '../core/notify.js';
import type { RequestGateDeps, RequestStarter, StartSingleDeps, UndoDeps } from '../core/requests/index.js';
import type { Store } from '../core/store/types.js';
import type { TerritoryCatalog } from '../core/territories/index.js';
import type { ZohoApi } from '../core/zoho/types.js';

export interface BotServices {
  config: AppConfig;
  logger: Logger;
  clock: Clock;
  store: Store;
  zoho: ZohoApi;
  catalog: TerritoryCatalog;
  assignment: AssignmentService;
  approvals: ApprovalService;
  /** Starts stored requests in the background (the assignment engine behind a core port). */
  starter: RequestStarter;
  policy: ApprovalPolicy;
  /** Slack user groups (approvers, requesters), cached. */
  directory: GroupDirectory;
  monitor: MonitorRunner;
  /** Writes a request's notices to the outbox (core/outbox.ts), e.g. a submitted bulk's parent message. */
  notifier: RequestNotifier;
  /** Identity and the access policy (DESIGN.md §4): ACCESS_MODE, who may change what, who decides. */
  access: AccessService;
}

/** What startSingle needs, from the services built in src/bot.ts. */
export function singleDeps(services: BotServices): StartSingleDeps {
  return {
    requests: services.assignment.engine,
    starter: services.starter,
    access: services.access,
    approvals: services.approvals,
  };
}

/** What the request gate (core/requests checkMayRequest / checkMayUseRecords) needs. */
export function gateDeps(services: BotServices): RequestGateDeps {
  return { approvals: services.approvals, access: services.access };
}

/** What startUndo needs: the draft and submit use cases' dependencies, and who is an admin. */
export function undoDeps(services: BotServices): UndoDeps {
  return {
    zoho: services.zoho,
    catalog: services.catalog,
    store: services.store,
    now: () => services.clock.now(),
    approvals: services.approvals,
    access: services.access,
    notifier: services.notifier,
    policy: services.policy,
    directory: services.directory,
  };
}

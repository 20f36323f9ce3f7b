export { CachedGroupDirectory, type CachedGroupDirectoryOptions, type GroupDirectory } from './directory.js';
export {
  type ApprovalPolicy,
  type ApprovalRoles,
  approvalPolicyFromConfig,
  canDecide,
  canRequest,
  canSnooze,
  DEFAULT_APPROVAL_THRESHOLD,
  isApprover,
  needsApproval,
  type PolicyDecision,
  type PolicyRefusal,
} from './policy.js';
export {
  FINAL_REQUEST_STATES,
  hasStarted,
  isFinalRequestState,
  OPEN_REQUEST_STATES,
  REQUEST_STATES,
  REQUEST_TRANSITIONS,
  type RequestEvent,
  type RequestTransitionRule,
  requestLifecycle,
  STARTED_REQUEST_STATES,
  type TransitionContext,
  type TransitionResult,
  transition,
  transitionRule,
} from './request-lifecycle.js';
export {
  type ApprovalRefusal,
  type ApprovalResult,
  ApprovalService,
  type ApprovalServiceOptions,
  type Decision,
} from './service.js';

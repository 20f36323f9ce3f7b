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
  type ApprovalRefusal,
  type ApprovalResult,
  ApprovalService,
  type ApprovalServiceOptions,
  type Decision,
} from './service.js';
export {
  FINAL_REQUEST_STATES,
  isFinalRequestState,
  REQUEST_TRANSITIONS,
  type RequestEvent,
  type RequestTransitionRule,
  type TransitionContext,
  type TransitionResult,
  transition,
  transitionRule,
} from './state.js';

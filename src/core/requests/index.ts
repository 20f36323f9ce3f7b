/**
 * The use cases people start. Each is one call that checks, stores and starts the work through
 * the ports in ports.ts; listeners parse Slack input, call one of these, and render the answer.
 */
export {
  type StoreDraftDeps,
  type StoreDraftResult,
  type SubmitDraftDeps,
  type SubmitDraftRefusal,
  type SubmitDraftResult,
  storeDraft,
  submitDraft,
} from './bulk.js';
export {
  type BulkSummary,
  keepableBulkSummary,
  keptBulkSummary,
  type PreviewItem,
  summarizeItems,
} from './bulk-summary.js';
export {
  checkMayRequest,
  checkMayUseRecords,
  type GateRefusal,
  type RequestGateDeps,
} from './gate.js';
export { HOME_MINE, HOME_WAITING, type HomeData, type HomeDeps, loadHome } from './home.js';
export { approvalKeyPrefix, parentMessageKey } from './message-keys.js';
export {
  isAdmin,
  isOps,
  type PeopleDeps,
  requestsWaitingFor,
  type WaitingForDeps,
} from './people.js';
export type { RequestRunner, RequestStarter, SingleRequestWriter } from './ports.js';
export {
  loadBulkSummary,
  loadPreviewPage,
  PREVIEW_PAGE_SIZE,
  previewItems,
  sendableCount,
} from './preview.js';
export {
  type SingleRefusal,
  type StartSingleDeps,
  type StartSingleInput,
  type StartSingleResult,
  startSingle,
} from './single.js';
export { AccessSinglePolicy, type SinglePolicyDeps } from './single-policy.js';
export { BackgroundStarter } from './start.js';
export {
  startUndo,
  type UndoDeps,
  type UndoInput,
  type UndoRefusal,
  type UndoResult,
  undoEntries,
} from './undo.js';

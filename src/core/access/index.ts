export {
  type ApprovalRoute,
  type ApprovalRouteQuestion,
  type CoveringManager,
  canDecideAccess,
  coveringManagers,
  type DecideQuestion,
  type DecideResult,
  routeApproval,
} from './approvers.js';
export {
  DEFAULT_PROFILE_TTL_MS,
  DEFAULT_REVERSE_TTL_MS,
  type Identity,
  IdentityMap,
  type IdentityMapOptions,
  type UnmappedIdentity,
  type UnmappedReason,
  unmapped,
} from './identity.js';
export {
  type IdentityOverride,
  type IdentityOverrides,
  IdentityOverridesError,
  loadIdentityOverrides,
  NO_OVERRIDES,
  parseIdentityOverrides,
  SLACK_USER_ID,
} from './overrides.js';
export {
  type AccessChange,
  type AccessDecision,
  type AccessQuestion,
  type AccessReason,
  type AccessRecord,
  type AccessRequester,
  accessChangeOf,
  belongsTo,
  decideAccess,
  touchedTerritories,
} from './policy.js';
export type { SlackDirectory, SlackProfiles } from './ports.js';
export { DIRECT_CHANGE_WINDOW_MS, directChangesLastHour, WENT_AHEAD_STATES } from './rate.js';
export {
  REQUEST_ACCESS_KEY,
  type RequestAccess,
  requestAccessFrom,
  requestAccessOf,
} from './request-access.js';
export {
  type AccessCheck,
  AccessService,
  type AccessServiceOptions,
  DEFAULT_MEMBERSHIP_TTL_MS,
} from './service.js';
export { type AccessSettings, accessModeNotice, accessSettingsFromConfig } from './settings.js';
export {
  DEFAULT_MISS_REFRESH_MS,
  DEFAULT_USERS_TTL_MS,
  normalizeEmail,
  ZohoUserDirectory,
  type ZohoUserDirectoryOptions,
  ZohoUserIndex,
} from './zoho-users.js';

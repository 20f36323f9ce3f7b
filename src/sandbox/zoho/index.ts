/**
 * Zoho CRM v8 simulator: `startZohoSimulator(options?)` serves a seeded org on loopback
 * (OAuth under /oauth/v2, API under /crm/v8, admin under /__sim/). Built from Zoho's docs
 * and OAS files, not from our client. See types.ts for the control surface.
 */
export { ADMIN_ENDPOINTS } from './admin.js';
export { DEFAULT_SCOPES } from './oauth.js';
export { type BigSeedOptions, bigSeed, demoSeed, seededRandom, zohoId } from './seed.js';
export { DEFAULT_CREDENTIALS, startZohoSimulator } from './simulator.js';
export type {
  CallCount,
  FailNextFault,
  LoggedCall,
  SeedMembership,
  SeedRecord,
  SeedRecordTerritory,
  SeedTerritory,
  SeedUser,
  SimCredentials,
  SimCriteria,
  SimFaults,
  SimJob,
  SimSeed,
  SimTerritoryView,
  SimTimers,
  ZohoSimulator,
  ZohoSimulatorOptions,
} from './types.js';

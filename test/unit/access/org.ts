/** A small territory hierarchy with managers, shared by the policy tests. */
import { TerritoryIndex } from '../../../src/core/territories/hierarchy.js';
import type { Territory } from '../../../src/core/zoho/types.js';

/** Zoho user ids by role. */
export const U = {
  ceo: '9000000000000000001',
  americasMgr: '9000000000000000002',
  usWestMgr: '9000000000000000003',
  emeaMgr: '9000000000000000004',
  germanyMgr: '9000000000000000005',
  apacMgr: '9000000000000000006',
  japanMgr: '9000000000000000007',
  repWest: '9000000000000000010',
  repAmericas: '9000000000000000011',
  repGermany: '9000000000000000012',
  repNowhere: '9000000000000000013',
} as const;

/** Territory ids by name. */
export const T = {
  global: '8000000000000000001',
  americas: '8000000000000000002',
  usWest: '8000000000000000003',
  usEast: '8000000000000000004',
  emea: '8000000000000000005',
  germany: '8000000000000000006',
  france: '8000000000000000007',
  apac: '8000000000000000008',
  japan: '8000000000000000009',
} as const;

const NAMES: Record<keyof typeof T, string> = {
  global: 'Global',
  americas: 'Americas',
  usWest: 'US West',
  usEast: 'US East',
  emea: 'EMEA',
  germany: 'Germany',
  france: 'France',
  apac: 'APAC',
  japan: 'Japan',
};

function territory(key: keyof typeof T, parent: keyof typeof T | null, managerId: string | null): Territory {
  return {
    id: T[key],
    name: NAMES[key],
    apiName: null,
    description: null,
    parentId: parent ? T[parent] : null,
    managerId,
    managerName: null,
    permissionType: 'read_write_delete',
  };
}

/**
 * Global (ceo) › Americas (americasMgr) › US West (usWestMgr), US East (no manager);
 * Global › EMEA (emeaMgr) › Germany (germanyMgr), France (emeaMgr too);
 * Global › APAC (apacMgr) › Japan (japanMgr).
 */
export const ORG = new TerritoryIndex([
  territory('global', null, U.ceo),
  territory('americas', 'global', U.americasMgr),
  territory('usWest', 'americas', U.usWestMgr),
  territory('usEast', 'americas', null),
  territory('emea', 'global', U.emeaMgr),
  territory('germany', 'emea', U.germanyMgr),
  territory('france', 'emea', U.emeaMgr),
  territory('apac', 'global', U.apacMgr),
  territory('japan', 'apac', U.japanMgr),
]);

/** Direct memberships (GET /users/{id}/territories). */
export const MEMBER_OF: Record<string, string[]> = {
  [U.repWest]: [T.usWest],
  [U.repAmericas]: [T.americas],
  [U.repGermany]: [T.germany],
  [U.repNowhere]: [],
  [U.usWestMgr]: [T.usWest],
  [U.emeaMgr]: [],
  [U.germanyMgr]: [T.germany],
  [U.apacMgr]: [],
  [U.americasMgr]: [],
  [U.japanMgr]: [],
  [U.ceo]: [],
};

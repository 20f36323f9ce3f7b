import type { Territory } from '../../../src/core/zoho/types.js';

let seq = 0;
export function territory(name: string, parentId: string | null, extra: Partial<Territory> = {}): Territory {
  seq++;
  return {
    id: extra.id ?? `36523970000007${String(seq).padStart(5, '0')}`,
    name,
    apiName: extra.apiName ?? name.replace(/\W+/g, '_'),
    description: null,
    parentId,
    managerId: null,
    managerName: null,
    permissionType: extra.permissionType ?? 'read_write_delete',
    ...extra,
  };
}

/** Global › {Americas › {US West, US East, West, LATAM › São Paulo}, EMEA › {West, DACH}, APAC › 東京}. */
export function demoTerritories() {
  const global = territory('Global', null, { id: '3652397000000100001' });
  const americas = territory('Americas', global.id, { id: '3652397000000100002' });
  const usWest = territory('US West', americas.id, { id: '3652397000000100003' });
  const usEast = territory('US East', americas.id, { id: '3652397000000100004' });
  const westAm = territory('West', americas.id, { id: '3652397000000100005', apiName: 'West_Americas' });
  const latam = territory('LATAM', americas.id, { id: '3652397000000100006' });
  const saoPaulo = territory('São Paulo', latam.id, { id: '3652397000000100007', apiName: 'Sao_Paulo' });
  const emea = territory('EMEA', global.id, { id: '3652397000000100008', permissionType: 'read_only' });
  const westEmea = territory('West', emea.id, { id: '3652397000000100009', apiName: 'West_EMEA' });
  const dach = territory('DACH', emea.id, { id: '3652397000000100010' });
  const apac = territory('APAC', global.id, { id: '3652397000000100011' });
  const tokyo = territory('東京', apac.id, { id: '3652397000000100012', apiName: 'Tokyo' });
  const all = [global, americas, usWest, usEast, westAm, latam, saoPaulo, emea, westEmea, dach, apac, tokyo];
  return {
    all,
    global,
    americas,
    usWest,
    usEast,
    westAm,
    latam,
    saoPaulo,
    emea,
    westEmea,
    dach,
    apac,
    tokyo,
  };
}

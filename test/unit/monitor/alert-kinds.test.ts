import { describe, expect, it } from 'vitest';
import { ALL_KINDS, parseAlertKind } from '../../../src/core/monitor/alert-kinds.js';
import { alertFromRow, alertToRow } from '../../../src/core/store/rows.js';
import type { AlertRecord } from '../../../src/core/store/types.js';

const stored: AlertRecord = {
  fingerprint: 'territory_deleted:3652397000000100003',
  kind: 'territory_deleted',
  territoryId: '3652397000000100003',
  state: 'firing',
  severity: 'critical',
  title: 'Territory "US West" was deleted',
  details: { cause: 'gone' },
  contentHash: 'h',
  inhibitedBy: null,
  startsAt: 1,
  updatedAt: 1,
  lastNotifiedAt: null,
  resolvedAt: null,
  snoozedUntil: null,
  snoozedBy: null,
  channel: null,
  ts: null,
};

describe('alert kinds at the store boundary', () => {
  it('reads back every kind the monitor raises', () => {
    for (const kind of ALL_KINDS) {
      expect(alertFromRow(alertToRow({ ...stored, kind })).kind).toBe(kind);
      expect(parseAlertKind(kind, 'f')).toBe(kind);
    }
  });

  it('refuses a stored kind this version does not know, naming the alert', () => {
    const row = { ...alertToRow(stored), kind: 'territory_vanished' };
    expect(() => alertFromRow(row)).toThrow(
      'Alert territory_deleted:3652397000000100003 has an unknown kind "territory_vanished"',
    );
  });
});

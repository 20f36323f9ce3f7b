import { describe, expect, it } from 'vitest';
import {
  buildAmbiguousTerritoryMessage,
  buildBlockedByZohoMessage,
  buildErrorMessage,
  buildUnknownTerritoryMessage,
} from '../../../src/views/errors.js';
import { buildHelpMessage } from '../../../src/views/help.js';
import { assertBlockKitLimits } from '../../../src/views/limits.js';
import { hostileName, noRawInjection, recordId, territoryId } from './fixtures.js';

describe('help', () => {
  it('lists every subcommand with an example', () => {
    const m = buildHelpMessage();
    assertBlockKitLimits(m);
    const json = JSON.stringify(m);
    for (const sub of ['assign', 'remove', 'move', 'bulk', 'show', 'list', 'health', 'requests', 'help']) {
      expect(json).toContain(`/territory ${sub}`);
    }
    expect(json).toContain('Example:');
    expect(json).toContain('Potentials');
  });
});

describe('generic error', () => {
  it('says what happened and what to do, escaped', () => {
    const m = buildErrorMessage({
      problem: 'Zoho did not answer <!channel>',
      action: 'Try again in a minute.',
      reference: 'req_42',
    });
    assertBlockKitLimits(m);
    expect(m.text).toBe('Error: Zoho did not answer &lt;!channel&gt;');
    expect(JSON.stringify(m.blocks)).toContain('*What to do:* Try again in a minute.');
    expect(JSON.stringify(m.blocks)).toContain('req_42');
  });

  it('stays within limits with huge input', () => {
    const m = buildErrorMessage({
      problem: hostileName(1, 20_000),
      action: hostileName(2, 20_000),
      reference: 'x'.repeat(5000),
    });
    assertBlockKitLimits(m);
    expect(noRawInjection(m)).toBe(true);
  });
});

describe('unknown territory', () => {
  it('suggests close names', () => {
    const m = buildUnknownTerritoryMessage({
      query: 'Nrth',
      suggestions: [
        { id: territoryId(1), name: 'North', path: ['Org', 'EMEA'] },
        { id: territoryId(2), name: 'North East' },
      ],
    });
    assertBlockKitLimits(m);
    expect(m.text).toBe('No territory called "Nrth". Did you mean North, North East?');
    const json = JSON.stringify(m.blocks);
    expect(json).toContain('Did you mean');
    expect(json).toContain('*North* (in Org › EMEA)');
  });

  it('handles no suggestions and 2,000 hostile ones', () => {
    expect(buildUnknownTerritoryMessage({ query: 'zzz', suggestions: [] }).text).toBe(
      'No territory called "zzz".',
    );
    const path = Array.from({ length: 12 }, (_, j) => hostileName(j));
    const m = buildUnknownTerritoryMessage({
      query: hostileName(0),
      suggestions: Array.from({ length: 2000 }, (_, i) => ({
        id: territoryId(i),
        name: hostileName(i),
        path,
      })),
    });
    assertBlockKitLimits(m);
    expect(noRawInjection(m)).toBe(true);
  });
});

describe('ambiguous territory', () => {
  it('lists candidates with their paths and ids', () => {
    const m = buildAmbiguousTerritoryMessage({
      query: 'North',
      candidates: [
        { id: territoryId(1), name: 'North', path: ['Org', 'EMEA'] },
        { id: territoryId(2), name: 'North', path: ['Org', 'Americas'] },
      ],
    });
    assertBlockKitLimits(m);
    const json = JSON.stringify(m.blocks);
    expect(json).toContain('matches 2 territories');
    expect(json).toContain('(in Org › EMEA)');
    expect(json).toContain('(in Org › Americas)');
    expect(json).toContain(territoryId(2));
  });

  it('survives 2,000 candidates with 500-char names', () => {
    const m = buildAmbiguousTerritoryMessage({
      query: hostileName(3),
      candidates: Array.from({ length: 2000 }, (_, i) => ({
        id: territoryId(i),
        name: hostileName(i),
        path: ['A', 'B'],
      })),
    });
    assertBlockKitLimits(m);
    expect(JSON.stringify(m.blocks)).toMatch(/and [\d,]+ more/);
    expect(noRawInjection(m)).toBe(true);
  });
});

describe('blocked by Zoho rules', () => {
  const record = { module: 'Deals' as const, recordId: recordId(1), name: 'Big deal' };

  it('suggests /territory move for a Deal that already has a territory', () => {
    const m = buildBlockedByZohoMessage({
      record,
      blocks: [{ kind: 'deal_has_territory', currentTerritory: 'EMEA' }],
      requestedTerritory: 'DACH',
    });
    assertBlockKitLimits(m);
    expect(JSON.stringify(m.blocks)).toContain(`/territory move Deals/${recordId(1)} DACH`);
    expect(m.text).toContain('deal has territory');
  });

  it('explains the 10-territory limit and rule-assigned territories', () => {
    const m = buildBlockedByZohoMessage({
      record: { module: 'Accounts', recordId: recordId(2) },
      blocks: [
        { kind: 'record_at_limit', current: 10, adding: 1, limit: 10 },
        { kind: 'rule_assigned', territories: ['West'] },
        { kind: 'territories_not_enabled', module: 'Leads' },
        { kind: 'no_write_access', territories: ['Secret'] },
        { kind: 'already_assigned', territories: ['A', 'B'] },
        { kind: 'not_assigned', territories: ['C'] },
        { kind: 'deal_single_territory', requested: 2 },
      ],
      recordUrl: (mod, id) => `https://crm.zoho.com/crm/org1/tab/${mod}/${id}`,
    });
    assertBlockKitLimits(m);
    const json = JSON.stringify(m.blocks);
    expect(json).toContain("Zoho's limit of 10");
    expect(json).toContain('assigned by Zoho territory rules and cannot be removed');
    expect(json).toContain('not enabled for Leads');
    expect(json).toContain(
      `<https://crm.zoho.com/crm/org1/tab/Accounts/${recordId(2)}|Accounts/${recordId(2)}>`,
    );
  });

  it('stays within limits with many hostile territory names', () => {
    const many = Array.from({ length: 2000 }, (_, i) => hostileName(i));
    const m = buildBlockedByZohoMessage({
      record: { ...record, name: hostileName(9) },
      blocks: Array.from({ length: 60 }, () => ({ kind: 'rule_assigned' as const, territories: many })),
      requestedTerritory: hostileName(7),
    });
    assertBlockKitLimits(m);
    expect(noRawInjection(m)).toBe(true);
  });
});

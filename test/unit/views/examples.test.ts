/**
 * The examples people are shown can be copied into the sandbox: every record exists in the demo
 * org and every territory resolves there (names as typed, through the same resolver).
 */
import { describe, expect, it } from 'vitest';
import { EXAMPLES, exampleRef, exampleUrl } from '../../../src/core/records/examples.js';
import { parseRecordRef } from '../../../src/core/records/index.js';
import { resolveTerritories } from '../../../src/core/territories/index.js';
import type { Territory } from '../../../src/core/zoho/types.js';
import { parseCommandText } from '../../../src/listeners/commands/args.js';
import { demoSeed } from '../../../src/sandbox/zoho/seed.js';
import { buildHelpMessage } from '../../../src/views/help.js';

const seed = demoSeed();
const catalog: Territory[] = seed.territories.map((t) => ({
  id: t.id,
  name: t.name,
  apiName: t.apiName,
  description: null,
  parentId: t.parentId,
  managerId: null,
  managerName: null,
  permissionType: 'read_write_delete',
}));

function recordIn(text: string) {
  const parsed = parseRecordRef(text);
  expect(parsed.ok, text).toBe(true);
  if (!parsed.ok) throw new Error(parsed.reason);
  const record = seed.records.find((r) => r.module === parsed.ref.module && r.id === parsed.ref.recordId);
  expect(record, `${text} is in the demo org`).toBeDefined();
  return record!;
}

function helpExamples(): string[] {
  const json = JSON.stringify(buildHelpMessage());
  return [...json.matchAll(/Example: `([^`]+)`/g)].map((m) => m[1]!);
}

describe('examples shown to people', () => {
  it('every help example with a record names one of the demo org, with territories that resolve', () => {
    const examples = helpExamples();
    expect(examples.length).toBeGreaterThanOrEqual(9);
    let checked = 0;
    for (const example of examples) {
      const parsed = parseCommandText(example.replace(/^\/territory\s+/, ''));
      expect(parsed.sub, example).not.toBe('unknown');
      if (!('record' in parsed) || parsed.record === null) continue;
      const record = recordIn(parsed.record);
      checked += 1;
      if (!('territories' in parsed)) continue;
      const resolved = resolveTerritories(catalog, parsed.territories);
      expect(resolved.message, example).toBeNull();
      const ids = resolved.territories.map((t) => t.id);
      const on = record.territories.map((t) => t.territoryId);
      // Each example does something: assign adds, remove takes away one the record has, move changes.
      if (parsed.sub === 'remove')
        expect(
          ids.every((id) => on.includes(id)),
          example,
        ).toBe(true);
      else
        expect(
          ids.some((id) => !on.includes(id)),
          example,
        ).toBe(true);
      if (parsed.sub === 'move') expect(record.module).toBe('Deals');
    }
    expect(checked).toBe(4);
  });

  it('the example records exist in every form people are shown', () => {
    for (const which of Object.keys(EXAMPLES) as Array<keyof typeof EXAMPLES>) {
      recordIn(exampleRef(which));
      recordIn(exampleUrl(which));
    }
  });
});

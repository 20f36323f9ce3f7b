import { describe, expect, it } from 'vitest';
import { parseCommandText } from '../../../../src/listeners/commands/args.js';

describe('parseCommandText', () => {
  it('reads assign with a URL and hands the territory text to core as typed (commas included)', () => {
    expect(
      parseCommandText(
        'assign https://crm.zoho.com/crm/org1/tab/Leads/3652397000001234567 US West,  Canada East ',
      ),
    ).toEqual({
      sub: 'assign',
      record: 'https://crm.zoho.com/crm/org1/tab/Leads/3652397000001234567',
      territories: 'US West,  Canada East',
    });
  });

  it('assign without arguments asks for the modal', () => {
    expect(parseCommandText('assign')).toEqual({ sub: 'assign', record: null, territories: '' });
  });

  it('is case-insensitive on the subcommand and knows aliases', () => {
    expect(parseCommandText('MOVE Deals/3652397000001234567 EMEA')).toMatchObject({
      sub: 'move',
      territories: 'EMEA',
    });
    expect(parseCommandText('')).toEqual({ sub: 'help' });
    expect(parseCommandText('status')).toEqual({ sub: 'requests' });
  });

  it('keeps list filters and show records', () => {
    expect(parseCommandText('list north america')).toEqual({ sub: 'list', filter: 'north america' });
    expect(parseCommandText('show Leads/3652397000001234567')).toEqual({
      sub: 'show',
      record: 'Leads/3652397000001234567',
    });
    expect(parseCommandText('show')).toEqual({ sub: 'show', record: null });
  });

  it('reports unknown words as they were typed', () => {
    expect(parseCommandText('asign Leads/1 West')).toEqual({ sub: 'unknown', word: 'asign' });
  });
});

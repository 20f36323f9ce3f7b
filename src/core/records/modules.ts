/**
 * The four modules Zoho supports territories on (zoho-api.md §6), the names people type for
 * them and the web UI's tab names. Deals' tab is `Potentials` (its pre-2015 name), which is
 * why "Potential(s)" is accepted as Deals everywhere.
 */
import { TERRITORY_MODULES, type ZohoModule } from '../zoho/types.js';

const MODULE_ALIASES: ReadonlyMap<string, ZohoModule> = new Map([
  ['lead', 'Leads'],
  ['leads', 'Leads'],
  ['account', 'Accounts'],
  ['accounts', 'Accounts'],
  ['contact', 'Contacts'],
  ['contacts', 'Contacts'],
  ['deal', 'Deals'],
  ['deals', 'Deals'],
  ['potential', 'Deals'],
  ['potentials', 'Deals'],
]);

/** Web UI tab segment per module (`/crm/org{ORGID}/tab/{Tab}/{id}`), zoho-api.md §14.2. */
export const MODULE_TABS: Readonly<Record<ZohoModule, string>> = {
  Leads: 'Leads',
  Accounts: 'Accounts',
  Contacts: 'Contacts',
  Deals: 'Potentials',
};

const SINGULAR: Readonly<Record<ZohoModule, string>> = {
  Leads: 'Lead',
  Accounts: 'Account',
  Contacts: 'Contact',
  Deals: 'Deal',
};

/** `leads`, `Lead`, ` DEALS `, `Potentials` → the module's API name; anything else → null. */
export function normalizeModule(text: string): ZohoModule | null {
  return MODULE_ALIASES.get(text.trim().toLowerCase()) ?? null;
}

export function isZohoModule(text: string): text is ZohoModule {
  return (TERRITORY_MODULES as readonly string[]).includes(text);
}

/** "Deal" / "Deals" for people. */
export function moduleNoun(module: ZohoModule, count = 1): string {
  return count === 1 ? SINGULAR[module] : module;
}

export const ACCEPTED_MODULES_TEXT = 'Leads, Accounts, Contacts or Deals';

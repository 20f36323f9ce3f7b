/**
 * Org and metadata reads Zoho's own SDKs make before anything else (DESIGN.md §8):
 * `GET /org` (the SDK keys its token and field cache by `zgid`), `GET /settings/modules`
 * and `GET /settings/fields?module=` (every record call first reads the module's fields).
 * Shapes follow Zoho's v8 docs (Get Organization Data, Modules Metadata, Fields Metadata);
 * the reference OAS has no schema for these three, so the conformance suite checks their keys.
 */
import type { ZohoModule } from '../../core/zoho/types.js';
import { TERRITORY_MODULES } from '../../core/zoho/types.js';
import { invalidParam, type Route } from './route-kit.js';
import { zohoId } from './seed.js';

const SETTINGS_READ = ['ZohoCRM.settings.ALL', 'ZohoCRM.settings.READ', 'ZohoCRM.settings.modules.READ'];
const FIELDS_READ = [...SETTINGS_READ, 'ZohoCRM.settings.fields.READ', 'ZohoCRM.settings.fields.ALL'];
const ORG_READ = ['ZohoCRM.org.ALL', 'ZohoCRM.org.READ', 'ZohoCRM.settings.ALL'];
/** The simulator's default scopes are modules/users/territories: Zoho also lets a modules.ALL token read metadata. */
const MODULES_ALL = ['ZohoCRM.modules.ALL'];

const MODULE_META: Record<ZohoModule, { id: number; singular: string; tab: string }> = {
  Leads: { id: 1, singular: 'Lead', tab: 'Leads' },
  Accounts: { id: 2, singular: 'Account', tab: 'Accounts' },
  Contacts: { id: 3, singular: 'Contact', tab: 'Contacts' },
  Deals: { id: 4, singular: 'Deal', tab: 'Potentials' },
};

type DataType =
  | 'text'
  | 'email'
  | 'currency'
  | 'picklist'
  | 'lookup'
  | 'ownerlookup'
  | 'datetime'
  | 'boolean'
  | 'territories';

interface FieldSpec {
  api: string;
  label: string;
  type: DataType;
  mandatory?: boolean;
  readOnly?: boolean;
  lookupModule?: ZohoModule;
  picklist?: readonly string[];
}

const JSON_TYPE: Record<DataType, string> = {
  text: 'string',
  email: 'string',
  currency: 'double',
  picklist: 'string',
  lookup: 'jsonobject',
  ownerlookup: 'jsonobject',
  datetime: 'string',
  boolean: 'boolean',
  territories: 'jsonarray',
};

const STAGES = [
  'Qualification',
  'Needs Analysis',
  'Value Proposition',
  'Proposal/Price Quote',
  'Negotiation/Review',
  'Closed Won',
  'Closed Lost',
] as const;

/** Fields every one of the four modules has: owner, audit fields, lock, and the territories. */
const COMMON: FieldSpec[] = [
  { api: 'Owner', label: 'Owner', type: 'ownerlookup' },
  { api: 'Created_By', label: 'Created By', type: 'ownerlookup', readOnly: true },
  { api: 'Modified_By', label: 'Modified By', type: 'ownerlookup', readOnly: true },
  { api: 'Created_Time', label: 'Created Time', type: 'datetime', readOnly: true },
  { api: 'Modified_Time', label: 'Modified Time', type: 'datetime', readOnly: true },
  { api: 'Locked__s', label: 'Locked', type: 'boolean', readOnly: true },
  { api: 'Territories', label: 'Territories', type: 'territories' },
];

const FIELDS: Record<ZohoModule, FieldSpec[]> = {
  Leads: [
    { api: 'First_Name', label: 'First Name', type: 'text' },
    { api: 'Last_Name', label: 'Last Name', type: 'text', mandatory: true },
    { api: 'Full_Name', label: 'Lead Name', type: 'text', readOnly: true },
    { api: 'Company', label: 'Company', type: 'text', mandatory: true },
    { api: 'Email', label: 'Email', type: 'email' },
    { api: 'Country', label: 'Country', type: 'text' },
  ],
  Accounts: [
    { api: 'Account_Name', label: 'Account Name', type: 'text', mandatory: true },
    { api: 'Billing_Country', label: 'Billing Country', type: 'text' },
    { api: 'Billing_State', label: 'Billing State', type: 'text' },
  ],
  Contacts: [
    { api: 'First_Name', label: 'First Name', type: 'text' },
    { api: 'Last_Name', label: 'Last Name', type: 'text', mandatory: true },
    { api: 'Full_Name', label: 'Contact Name', type: 'text', readOnly: true },
    { api: 'Email', label: 'Email', type: 'email' },
    { api: 'Account_Name', label: 'Account Name', type: 'lookup', lookupModule: 'Accounts' },
  ],
  Deals: [
    { api: 'Deal_Name', label: 'Deal Name', type: 'text', mandatory: true },
    { api: 'Stage', label: 'Stage', type: 'picklist', mandatory: true, picklist: STAGES },
    { api: 'Amount', label: 'Amount', type: 'currency' },
    { api: 'Account_Name', label: 'Account Name', type: 'lookup', lookupModule: 'Accounts' },
  ],
};

const moduleId = (m: ZohoModule) => zohoId(9, MODULE_META[m].id);

function moduleJson(m: ZohoModule, seq: number) {
  const meta = MODULE_META[m];
  return {
    id: moduleId(m),
    api_name: m,
    module_name: meta.tab,
    singular_label: meta.singular,
    plural_label: m,
    generated_type: 'default',
    api_supported: true,
    creatable: true,
    editable: true,
    deletable: true,
    viewable: true,
    visible: true,
    status: 'visible',
    sequence_number: seq,
    presence_sub_menu: true,
    global_search_supported: true,
    feeds_required: false,
    visibility: 1,
    modified_time: null,
    modified_by: null,
    profiles: [],
  };
}

function fieldJson(module: ZohoModule, f: FieldSpec, seq: number) {
  const id = zohoId(7, MODULE_META[module].id * 100 + seq);
  return {
    id,
    api_name: f.api,
    field_label: f.label,
    display_label: f.label,
    column_name: f.api.toUpperCase(),
    data_type: f.type,
    json_type: JSON_TYPE[f.type],
    length: f.type === 'text' || f.type === 'email' ? 255 : f.type === 'currency' ? 16 : 120,
    system_mandatory: f.mandatory === true,
    read_only: f.readOnly === true,
    field_read_only: f.readOnly === true,
    custom_field: false,
    visible: true,
    sortable: f.type !== 'territories',
    // Zoho marks the territory field as a lookup-like list; the SDK keys on custom_field=false.
    ...(f.lookupModule
      ? {
          lookup: {
            display_label: f.label,
            api_name: f.api,
            module: { api_name: f.lookupModule, id: moduleId(f.lookupModule) },
            id: null,
          },
        }
      : {}),
    ...(f.picklist
      ? {
          pick_list_values: f.picklist.map((v, i) => ({
            display_value: v,
            actual_value: v,
            sequence_number: i + 1,
            id: zohoId(7, 9000 + MODULE_META[module].id * 100 + i),
            type: 'used',
          })),
        }
      : {}),
  };
}

/** Without territory management (or for Leads when Leads are not covered) there is no `Territories` field. */
function moduleFields(module: ZohoModule, hasTerritories: boolean): FieldSpec[] {
  return [...FIELDS[module], ...COMMON.filter((f) => hasTerritories || f.api !== 'Territories')];
}

export const settingsRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/org$/,
    operation: 'getOrg',
    scopes: () => [...ORG_READ, ...SETTINGS_READ, ...MODULES_ALL, 'ZohoCRM.users.ALL', 'ZohoCRM.users.READ'],
    needsTerritories: false,
    handle: (ctx) => {
      const owner = ctx.org.owner();
      return {
        status: 200,
        body: {
          org: [
            {
              id: zohoId(0, 1),
              company_name: ctx.org.orgName,
              alias: null,
              zgid: ctx.org.orgId,
              domain_name: `org${ctx.org.orgId}`,
              primary_zuid: owner.zuid,
              primary_email: owner.email,
              country_code: 'US',
              country: 'United States',
              iso_code: 'USD',
              currency: 'US Dollar - USD',
              currency_symbol: '$',
              currency_locale: 'en_US',
              time_zone: 'GMT',
              mc_status: false,
              gapps_enabled: false,
              translation_enabled: false,
              hipaa_compliance_enabled: false,
              privacy_settings: false,
              type: 'production',
              license_details: {
                paid: true,
                paid_type: 'enterprise',
                paid_expiry: null,
                trial_type: null,
                trial_expiry: null,
                users_license_purchased: ctx.org.users().length,
              },
            },
          ],
        },
      };
    },
  },
  {
    method: 'GET',
    pattern: /^\/settings\/modules$/,
    operation: 'getModules',
    scopes: () => [...SETTINGS_READ, ...MODULES_ALL],
    needsTerritories: false,
    handle: () => ({
      status: 200,
      body: { modules: TERRITORY_MODULES.map((m, i) => moduleJson(m, i + 1)) },
    }),
  },
  {
    method: 'GET',
    pattern: /^\/settings\/fields$/,
    operation: 'getFields',
    scopes: () => [...FIELDS_READ, ...MODULES_ALL],
    needsTerritories: false,
    handle: (ctx) => {
      const asked = ctx.query.get('module');
      if (!asked) return invalidParam('module', 'the module name given seems to be invalid');
      const module = TERRITORY_MODULES.find((m) => m.toLowerCase() === asked.toLowerCase());
      if (!module) return invalidParam('module', 'the module name given seems to be invalid');
      const fields = moduleFields(module, ctx.org.territoriesOnRecords(module)).map((f, i) =>
        fieldJson(module, f, i + 1),
      );
      return { status: 200, body: { fields } };
    },
  },
];

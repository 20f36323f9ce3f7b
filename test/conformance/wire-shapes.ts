/**
 * Wire shapes for endpoints the OAS set in ../shared/reference/zoho-oas has no file for: the
 * feature-info endpoint (TEAM.md's decision) and the org/metadata reads Zoho's SDKs make.
 */
/** TEAM.md's decision for `get_feature_specific_info` (Zoho documents only `job_id` and `source`). */
export const FEATURE_INFO_SHAPE = {
  type: 'object',
  required: ['data'],
  properties: {
    data: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['id', 'territory_scheduled_jobs'],
        properties: {
          id: { type: 'string', pattern: '^\\d{15,19}$' },
          territory_scheduled_jobs: {
            type: 'array',
            minItems: 1,
            items: {
              type: 'object',
              required: ['job_id', 'source'],
              properties: {
                job_id: { type: 'string' },
                source: {
                  enum: ['creation', 'update', 'manual_territory_assignment', 'manual_territory_removal'],
                },
              },
            },
          },
        },
      },
    },
  },
};

/**
 * Zoho's docs for the three metadata reads Zoho's SDKs make (Get Organization Data, Modules
 * Metadata, Fields Metadata; v8): the keys the SDKs read, with their types.
 */
const ORG_SHAPE = {
  type: 'object',
  required: ['org'],
  properties: {
    org: {
      type: 'array',
      minItems: 1,
      maxItems: 1,
      items: {
        type: 'object',
        required: ['id', 'company_name', 'zgid', 'primary_email', 'iso_code', 'currency_locale', 'time_zone'],
        properties: {
          id: { type: 'string', pattern: '^\\d+$' },
          zgid: { type: 'string', pattern: '^\\d+$' },
          company_name: { type: 'string' },
          primary_email: { type: 'string' },
          primary_zuid: { type: ['string', 'null'] },
          mc_status: { type: 'boolean' },
          license_details: { type: 'object' },
        },
      },
    },
  },
};
const MODULES_SHAPE = {
  type: 'object',
  required: ['modules'],
  properties: {
    modules: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: [
          'id',
          'api_name',
          'module_name',
          'api_supported',
          'generated_type',
          'singular_label',
          'plural_label',
        ],
        properties: {
          id: { type: 'string', pattern: '^\\d+$' },
          api_supported: { type: 'boolean' },
          generated_type: { enum: ['default', 'web', 'custom', 'linking_module', 'subform'] },
        },
      },
    },
  },
};
const FIELDS_SHAPE = {
  type: 'object',
  required: ['fields'],
  properties: {
    fields: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: [
          'id',
          'api_name',
          'field_label',
          'data_type',
          'json_type',
          'custom_field',
          'system_mandatory',
        ],
        properties: {
          id: { type: 'string', pattern: '^\\d+$' },
          json_type: { enum: ['string', 'integer', 'double', 'boolean', 'jsonobject', 'jsonarray'] },
          custom_field: { type: 'boolean' },
          lookup: {
            type: 'object',
            required: ['module'],
            properties: { module: { type: 'object', required: ['api_name', 'id'] } },
          },
          pick_list_values: {
            type: 'array',
            items: { type: 'object', required: ['display_value', 'actual_value'] },
          },
        },
      },
    },
  },
};
export const METADATA_SHAPES: Record<string, object> = {
  getOrg: ORG_SHAPE,
  getModules: MODULES_SHAPE,
  getFields: FIELDS_SHAPE,
};

/**
 * zod schemas for Zoho's answers. Shapes follow Zoho's v8 OpenAPI files
 * (/work/shared/reference/zoho-oas) but accept what Zoho's docs show where the two differ:
 * the root territory's `reporting_to`, an unset `manager` and unset rule criteria are `null`
 * in real answers although the OAS types them as objects.
 *
 * IDs are `z.string()`: a number would already have lost precision in JSON.parse (Zoho IDs
 * are 18-19 digits), so a numeric id is rejected rather than silently corrupted.
 */
import { z } from 'zod';

export const zohoId = z.string().min(1);

/** Zoho's `info` paging block; every key is nullable in the OAS. */
export const pageInfoSchema = z
  .object({
    per_page: z.number().nullish(),
    count: z.number().nullish(),
    page: z.number().nullish(),
    more_records: z.boolean().nullish(),
  })
  .nullish();

/** `{name, id}` (territories API) or `{Name, id}` (users/{id}/territories); null when unset. */
const namedRef = z
  .object({
    id: zohoId.nullish(),
    name: z.string().nullish(),
    Name: z.string().nullish(),
  })
  .nullish();

export const territorySchema = z.object({
  id: zohoId,
  name: z.string(),
  api_name: z.string().nullish(),
  description: z.string().nullish(),
  reporting_to: namedRef,
  manager: namedRef,
  permission_type: z.string().nullish(),
});
export type TerritoryWire = z.infer<typeof territorySchema>;

export const territoriesResponseSchema = z.object({
  territories: z.array(territorySchema),
  info: pageInfoSchema,
});

const userRef = z.object({ id: zohoId.nullish(), name: z.string().nullish() }).nullish();

export const userSchema = z.object({
  id: zohoId,
  full_name: z.string().nullish(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  email: z.string().nullish(),
  status: z.string().nullish(),
  zuid: zohoId.nullish(),
  role: userRef,
  profile: userRef,
});
export type UserWire = z.infer<typeof userSchema>;

export const usersResponseSchema = z.object({
  users: z.array(userSchema),
  info: pageInfoSchema,
});

/** `GET /users/{id}/territories`: capitalised keys (`Name`, `Reporting_To`, `Manager`). */
export const userTerritorySchema = z.object({
  id: zohoId,
  Name: z.string().nullish(),
  name: z.string().nullish(),
  Reporting_To: namedRef,
  Manager: namedRef,
});

export const userTerritoriesResponseSchema = z.object({
  territories: z.array(userTerritorySchema),
  info: pageInfoSchema,
});

/** A territory on a record: `{"Name","id","$assigned",...}` (Get Record; COQL uses lower-case `name`). */
const recordTerritorySchema = z.object({
  id: zohoId,
  Name: z.string().nullish(),
  name: z.string().nullish(),
  $assigned: z.string().nullish(),
});
export type RecordTerritoryWire = z.infer<typeof recordTerritorySchema>;

// Deals may carry a single `Territory` lookup rather than a `Territories` array (zoho-api.md §6).
const recordTerritoriesField = z.union([z.array(recordTerritorySchema), recordTerritorySchema]).nullish();

/** A record's `Owner` lookup: `{"name","id","email"}` (record.json ownerlookup). */
const recordOwnerSchema = z.looseObject({
  id: zohoId,
  name: z.string().nullish(),
  email: z.string().nullish(),
});

export const recordSchema = z.looseObject({
  id: zohoId,
  Owner: recordOwnerSchema.nullish(),
  Territories: recordTerritoriesField,
  Territory: recordTerritoriesField,
});
export type RecordWire = z.infer<typeof recordSchema>;

export const recordsResponseSchema = z.object({
  data: z.array(recordSchema),
  info: pageInfoSchema,
});

/** One `data[]` item of assign_territories / remove_territories. */
export const writeItemSchema = z.object({
  code: z.string(),
  message: z.string().nullish(),
  status: z.string(),
  details: z.record(z.string(), z.unknown()).nullish(),
});
export type WriteItemWire = z.infer<typeof writeItemSchema>;

export const writeResponseSchema = z.object({ data: z.array(writeItemSchema) });

/** Zoho's request-level error envelope `{code, message, details, status:"error"}`. */
export const errorEnvelopeSchema = z.object({
  code: z.string(),
  message: z.string().nullish(),
  status: z.literal('error'),
  details: z.record(z.string(), z.unknown()).nullish(),
});

/**
 * Feature-specific info (`features=territory_scheduled_jobs`). Zoho leaves the wrapper
 * undocumented (zoho-api.md §9.1); TEAM.md fixes the shape
 * `{"data":[{"id","territory_scheduled_jobs":[{"job_id","source"}]}]}`; variants are accepted.
 */
const scheduledJobSchema = z.looseObject({
  job_id: zohoId,
  source: z.string().nullish(),
  id: zohoId.nullish(),
  record_id: zohoId.nullish(),
});
export type ScheduledJobWire = z.infer<typeof scheduledJobSchema>;

export const featureInfoItemSchema = z.looseObject({
  id: zohoId.nullish(),
  record_id: zohoId.nullish(),
  job_id: zohoId.nullish(),
  source: z.string().nullish(),
  territory_scheduled_jobs: z.union([z.array(scheduledJobSchema), scheduledJobSchema]).nullish(),
});
export type FeatureInfoItemWire = z.infer<typeof featureInfoItemSchema>;

export const featureInfoResponseSchema = z.looseObject({
  data: z.array(featureInfoItemSchema).nullish(),
  territory_scheduled_jobs: z.array(featureInfoItemSchema).nullish(),
});

const numberLike = z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]);

/** `POST {accounts}/oauth/v2/token`: success and failure both come with HTTP 200. */
export const tokenResponseSchema = z.looseObject({
  access_token: z.string().min(1).optional(),
  api_domain: z.string().optional(),
  scope: z.string().optional(),
  token_type: z.string().optional(),
  expires_in: numberLike.optional(),
  expires_in_sec: numberLike.optional(),
  error: z.string().optional(),
  error_description: z.string().optional(),
});
export type TokenResponseWire = z.infer<typeof tokenResponseSchema>;

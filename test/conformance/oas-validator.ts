/**
 * Validates HTTP exchanges against Zoho's own OpenAPI 3.0 files (zoho/crm-oas v8.0), read at
 * test time from ../shared/reference/zoho-oas (never copied into the repo).
 *
 * The files are translated for ajv (OAS `nullable` -> JSON Schema null types; `oneOf` ->
 * `anyOf`) and patched only where Zoho's docs show answers the OAS does not allow. Every
 * patch below says why (zoho-api.md is the team's digest of those docs).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

// biome-ignore lint/suspicious/noExplicitAny: OAS documents are arbitrary JSON
type Json = any;

/** Cross-file refs in Zoho's OAS point at GitHub; they resolve to the local copies. */
const OAS_BASE = 'https://raw.githubusercontent.com/Zohocorp-Pvt-Ltd/crm-oas/refs/heads/main/v8.0/';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const oasDir = path.resolve(repoRoot, '../shared/reference/zoho-oas');

export function oasAvailable(): boolean {
  return existsSync(oasDir) && readdirSync(oasDir).some((f) => f.endsWith('.json'));
}

function walk(node: Json, fn: (n: Json) => void): void {
  if (Array.isArray(node)) {
    for (const x of node) walk(x, fn);
  } else if (node && typeof node === 'object') {
    fn(node);
    for (const v of Object.values(node)) walk(v, fn);
  }
}

/** OAS 3.0 `nullable: true` is not JSON Schema: turn it into a null type (and enum member). */
function translateNullable(doc: Json): void {
  walk(doc, (n) => {
    if (n.nullable !== true) return;
    delete n.nullable;
    if (typeof n.type === 'string') n.type = [n.type, 'null'];
    if (Array.isArray(n.enum) && !n.enum.includes(null)) n.enum.push(null);
  });
}

/**
 * Zoho's OAS puts alternatives without `required` keys under `oneOf` (e.g. the assign answer:
 * `{data}` object | API_Exception), so every real answer matches several and `oneOf` fails
 * by construction. Checked as `anyOf`.
 */
function oneOfToAnyOf(doc: Json): void {
  walk(doc, (n) => {
    if (Array.isArray(n.oneOf)) {
      n.anyOf = n.oneOf;
      delete n.oneOf;
    }
  });
}

function orNull(schema: Json): Json {
  return { anyOf: [schema, { type: 'null' }] };
}

/** Where Zoho's docs show answers the OAS forbids (DESIGN.md §1; zoho-api.md §4.3, §5.2, §6, §7). */
function applyDocumentedDeviations(file: string, doc: Json): void {
  const schemas = doc.components?.schemas ?? {};
  if (file === 'territories.json') {
    const props = schemas.territories.properties;
    // Docs: the root territory's reporting_to, an unset manager and unset rule criteria are null.
    for (const key of [
      'manager',
      'reporting_to',
      'account_rule_criteria',
      'deal_rule_criteria',
      'lead_rule_criteria',
    ]) {
      props[key] = orNull(props[key]);
    }
    // Docs (§4.3): a criterion is `{comparator, field:{api_name,id}, value}` (value a string or
    // list) or a group `{group_operator, group:[...]}`; the OAS requires all five keys at once
    // and types `value` as an object, which no documented sample satisfies.
    schemas.Criteria = {
      anyOf: [
        {
          type: 'object',
          required: ['comparator', 'field', 'value'],
          properties: {
            comparator: { type: 'string' },
            field: {
              type: 'object',
              required: ['api_name', 'id'],
              properties: { api_name: { type: 'string' }, id: { type: 'string' } },
            },
          },
        },
        {
          type: 'object',
          required: ['group_operator', 'group'],
          properties: {
            group_operator: { type: 'string' },
            group: { type: 'array', items: { $ref: '#/components/schemas/Criteria' } },
          },
        },
      ],
    };
  }
  if (file === 'users_territories.json') {
    // Doc sample (§5.2): Reporting_To is null for a top-level territory; Manager when unset.
    const props = schemas.territories.properties;
    props.Manager = orNull(props.Manager);
    props.Reporting_To = orNull(props.Reporting_To);
  }
  if (file === 'record.json') {
    // Docs (§6): `$assigned_by` is null for territories assigned by rule.
    schemas.Territory.properties.$assigned_by = orNull(schemas.Territory.properties.$assigned_by);
    // v7/v8 docs (§7.2): assign/remove answer 202 SCHEDULED with these messages; the OAS
    // still has the pre-v7 `SUCCESS` enum.
    schemas.Success_Response.properties.code.enum.push('SCHEDULED');
    schemas.Success_Response.properties.message.enum.push(
      'Territory assignment process scheduled successfully',
      'Territory removal process scheduled successfully',
    );
    schemas.API_Exception.properties.message.enum.push(
      // v7 assign doc (§7.3) message for RECORD_LOCKED.
      'Sorry, you cannot perform this operation as the record is locked.',
      // The docs name ALREADY_SCHEDULED but quote no message: this is the simulator's wording.
      'A territory job is already scheduled for this record',
    );
  }
}

/** Statuses the v8 docs give assign/remove (202, and 207/400/403 for per-record errors, §7.4). */
const ASSIGN_OPERATIONS = new Set([
  'Assign Territories To Multiple Records',
  'Assign Territory to Record',
  'Remove Territories From Multiple Records',
  'Remove Territories From Record',
]);

/** First path segments that are Zoho namespaces, never a module's API name. */
const RESERVED_NAMESPACES = new Set(['org', 'settings', 'users', '__features']);

interface Operation {
  file: string;
  template: string;
  method: string;
  operationId: string;
  regex: RegExp;
  literals: number;
  /** status -> absolute ref of the response schema */
  responses: Map<string, string>;
  requestRef: string | null;
  /** query parameter name -> schema */
  params: Map<string, Json>;
}

export type Verdict =
  | { kind: 'valid'; schema: string }
  | { kind: 'invalid'; schema: string; errors: string[] }
  | { kind: 'skipped'; reason: string };

function formatErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? [])
    .slice(0, 8)
    .map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

export class OasValidator {
  private readonly ajv: Ajv;
  private readonly operations: Operation[] = [];
  private readonly docs = new Map<string, Json>();
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(dir: string = oasDir) {
    this.ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
    const addFormats = ((addFormatsModule as Json).default ?? addFormatsModule) as (ajv: Ajv) => void;
    addFormats(this.ajv);
    this.ajv.addFormat('int32', true);
    this.ajv.addFormat('int64', true);
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
      const doc = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
      translateNullable(doc);
      oneOfToAnyOf(doc);
      applyDocumentedDeviations(file, doc);
      doc.components ??= {};
      // Inline request/response schemas are copied here so they get an addressable ref.
      const inline: Record<string, Json> = {};
      doc.components['x-conformance'] = inline;
      this.docs.set(file, doc);
      for (const [template, item] of Object.entries<Json>(doc.paths ?? {})) {
        for (const [method, op] of Object.entries<Json>(item)) {
          if (!op || typeof op !== 'object' || !op.responses) continue;
          const segments = template.split('/').filter(Boolean);
          const pattern = segments.map((s) =>
            s.startsWith('{') ? '[^/]+' : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
          );
          const operation: Operation = {
            file,
            template,
            method: method.toUpperCase(),
            operationId: op.operationId ?? `${method} ${template}`,
            regex: new RegExp(`^/${pattern.join('/')}$`),
            literals: segments.filter((s) => !s.startsWith('{')).length,
            responses: new Map(),
            requestRef: null,
            params: new Map(),
          };
          const index = this.operations.length;
          for (const [status, response] of Object.entries<Json>(op.responses)) {
            const schema = this.deref(file, response)?.content?.['application/json']?.schema;
            if (!schema) continue;
            inline[`op${index}_${status}`] = schema;
            operation.responses.set(
              status,
              `${OAS_BASE}${file}#/components/x-conformance/op${index}_${status}`,
            );
          }
          const requestSchema = this.deref(file, op.requestBody)?.content?.['application/json']?.schema;
          if (requestSchema) {
            inline[`op${index}_request`] = requestSchema;
            operation.requestRef = `${OAS_BASE}${file}#/components/x-conformance/op${index}_request`;
          }
          for (const p of op.parameters ?? []) {
            const param = this.deref(file, p);
            if (param?.in === 'query') operation.params.set(param.name, param.schema ?? {});
          }
          this.operations.push(operation);
        }
      }
    }
    // tags.json and modules.json are referenced (Record.Tag, duplicate_record.module) but are
    // not part of the reference set: anything is accepted there.
    for (const missing of ['tags.json', 'modules.json']) {
      if (!this.docs.has(missing))
        this.docs.set(missing, { components: { schemas: { Tag: {}, Minified_Module: {} } } });
    }
    for (const [file, doc] of this.docs) this.ajv.addSchema(doc, OAS_BASE + file);
  }

  private deref(file: string, node: Json): Json {
    let cur = node;
    while (cur?.$ref && typeof cur.$ref === 'string' && cur.$ref.startsWith('#/')) {
      cur = cur.$ref
        .slice(2)
        .split('/')
        .reduce(
          (acc: Json, key: string) => acc?.[key.replace(/~1/g, '/').replace(/~0/g, '~')],
          this.docs.get(file),
        );
    }
    return cur;
  }

  private check(ref: string, label: string, value: unknown): Verdict {
    let validate = this.compiled.get(ref);
    if (!validate) {
      validate = this.ajv.compile({ $ref: ref });
      this.compiled.set(ref, validate);
    }
    if (validate(value)) return { kind: 'valid', schema: label };
    return { kind: 'invalid', schema: label, errors: formatErrors(validate.errors) };
  }

  /** The operation for a concrete path (most literal segments wins: /users beats /{module}). */
  operation(method: string, pathname: string): Operation | undefined {
    // `/crm/v8/{module_api_name}` must not swallow Zoho's own namespaces (`/org`, `/settings/…`):
    // no module is named so, and those endpoints have files of their own (absent from this set).
    const first = pathname.split('/')[3] ?? '';
    return this.operations
      .filter((o) => o.method === method && o.regex.test(pathname))
      .filter((o) => !(o.template.startsWith('/crm/v8/{') && RESERVED_NAMESPACES.has(first)))
      .sort((a, b) => b.literals - a.literals)[0];
  }

  /** Validates a response body against the operation's schema for its status. */
  validateResponse(method: string, pathname: string, status: number, body: unknown): Verdict {
    const op = this.operation(method, pathname);
    if (!op) return { kind: 'skipped', reason: `${method} ${pathname} is not in Zoho's OAS` };
    if (status === 204) {
      const label = `${op.file} ${op.operationId} 204`;
      return body === null || body === undefined
        ? { kind: 'valid', schema: label }
        : { kind: 'invalid', schema: label, errors: ['204 with a body'] };
    }
    let ref = op.responses.get(String(status));
    let label = `${op.file} ${op.operationId} ${status}`;
    if (!ref && ASSIGN_OPERATIONS.has(op.operationId)) {
      ref = op.responses.get('200');
      label = `${op.file} ${op.operationId} 200 (docs: v8 answers ${status})`;
    }
    if (!ref) {
      // The OAS lists few error statuses; the docs (§13) define one envelope for every error.
      ref = `${OAS_BASE}common.json#/components/schemas/API_Exception`;
      label = `common.json API_Exception (${op.operationId} lists no ${status})`;
    }
    return this.check(ref, label, body);
  }

  /** Validates a value against one named schema of a file (e.g. record.json Territory). */
  validateComponent(file: string, name: string, value: unknown): Verdict {
    return this.check(`${OAS_BASE}${file}#/components/schemas/${name}`, `${file} ${name}`, value);
  }

  /** Validates a request: query parameters declared with matching types, JSON body against requestBody. */
  validateRequest(method: string, pathname: string, query: Record<string, string>, body: unknown): Verdict {
    const op = this.operation(method, pathname);
    if (!op) return { kind: 'skipped', reason: `${method} ${pathname} is not in Zoho's OAS` };
    const label = `${op.file} ${op.operationId} request`;
    const errors: string[] = [];
    for (const [name, value] of Object.entries(query)) {
      const schema = op.params.get(name);
      if (!schema) {
        errors.push(`query parameter "${name}" is not declared for ${op.operationId}`);
        continue;
      }
      const types = [schema.type].flat();
      if (types.includes('integer') && !/^-?\d+$/.test(value))
        errors.push(`query "${name}" must be an integer`);
      if (types.includes('boolean') && !/^(true|false)$/.test(value))
        errors.push(`query "${name}" must be a boolean`);
      if (Array.isArray(schema.enum) && !schema.enum.includes(value))
        errors.push(`query "${name}" not in ${schema.enum}`);
    }
    if (op.requestRef && body !== null && body !== undefined) {
      const verdict = this.check(op.requestRef, label, body);
      if (verdict.kind === 'invalid') errors.push(...verdict.errors);
    }
    return errors.length === 0
      ? { kind: 'valid', schema: label }
      : { kind: 'invalid', schema: label, errors };
  }
}

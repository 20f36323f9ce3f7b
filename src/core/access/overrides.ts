/**
 * The identity overrides file (IDENTITY_OVERRIDES, DESIGN.md §4): Slack users whose Slack email
 * differs from their Zoho email, mapped by hand to their Zoho user. One line each:
 *
 *   U0123ABCD: "3652397000000281001"
 *
 * A bad file stops the start, so every problem names the file, the line and how to fix it
 * (as the routing file does, src/core/monitor/routing.ts).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import type { Scalar, YAMLMap } from 'yaml';
import { whyUnreadable } from '../unreadable.js';

// yaml (~7 MB of RSS) loads when an overrides file is read, not with the app (issue 13).
const require = createRequire(import.meta.url);
const yaml = () => require('yaml') as typeof Yaml;

export interface IdentityOverride {
  slackUserId: string;
  zohoUserId: string;
  /** 1-based line in the file, for messages. */
  line: number | null;
}

export interface IdentityOverrides {
  file: string | null;
  /** By Slack user id. */
  bySlackUser: ReadonlyMap<string, IdentityOverride>;
  /** By Zoho user id (one Slack user per Zoho user: the file refuses two). */
  byZohoUser: ReadonlyMap<string, IdentityOverride>;
}

export class IdentityOverridesError extends Error {
  override readonly name = 'IdentityOverridesError';
  constructor(
    readonly file: string,
    readonly line: number | null,
    message: string,
  ) {
    super(message);
  }
}

export const NO_OVERRIDES: IdentityOverrides = {
  file: null,
  bySlackUser: new Map(),
  byZohoUser: new Map(),
};

const EXAMPLE = [
  '# <Slack user id>: "<Zoho user id>"',
  'U0123ABCD: "3652397000000281001"',
  'W0456EFGH: "3652397000000281002"',
].join('\n');

/** Slack user ids start with U (or W on Enterprise Grid), then capitals and digits. */
export const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;
/** Zoho ids are 18-19 digit strings; shorter ones exist in old orgs and tests. */
const ZOHO_ID = /^\d{1,19}$/;

/** Parses and validates the file's text. Throws IdentityOverridesError. */
export function parseIdentityOverrides(text: string, file: string): IdentityOverrides {
  const { isMap, isScalar, LineCounter, parseDocument } = yaml();
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  const fail = (line: number | null, what: string): never => {
    throw new IdentityOverridesError(
      file,
      line,
      `Identity overrides file ${file}${line !== null ? ` (line ${line})` : ''}: ${what}\nExpected shape:\n${EXAMPLE}`,
    );
  };
  const lineAt = (range: readonly number[] | null | undefined): number | null =>
    range ? lines.linePos(range[0]!).line : null;

  const first = doc.errors[0];
  if (first) {
    const line = first.linePos?.[0]?.line ?? null;
    if (first.code === 'DUPLICATE_KEY') {
      fail(line, 'a Slack user is listed twice: keep one line per Slack user id');
    }
    // yaml's message already ends with the offending line and a caret.
    fail(line, `not valid YAML: ${first.message.trim()}`);
  }
  // An empty file (or comments only) maps nobody: allowed, the admin may fill it in later.
  if (doc.contents === null) return { file, bySlackUser: new Map(), byZohoUser: new Map() };
  if (!isMap(doc.contents)) {
    fail(
      lineAt(doc.contents.range),
      'the file must be a list of `<Slack user id>: "<Zoho user id>"` lines, nothing else',
    );
  }
  const map = doc.contents as YAMLMap;

  const bySlackUser = new Map<string, IdentityOverride>();
  const byZohoUser = new Map<string, IdentityOverride>();
  for (const pair of map.items) {
    const keyNode = pair.key;
    const valueNode = pair.value;
    const line = lineAt(isScalar(keyNode) ? keyNode.range : isScalar(valueNode) ? valueNode.range : null);
    if (!isScalar(keyNode) || typeof keyNode.value !== 'string' || keyNode.value.trim() === '') {
      fail(line, 'each line starts with a Slack user id, e.g. U0123ABCD: "3652397000000281001"');
    }
    const slackUserId = String((keyNode as { value: string }).value).trim();
    if (!SLACK_USER_ID.test(slackUserId)) {
      fail(
        line,
        `"${slackUserId}" does not look like a Slack user id (U... or W..., capitals and digits). ` +
          "Copy it from the person's Slack profile: ⋮ > Copy member ID",
      );
    }
    if (valueNode === null || (isScalar(valueNode) && (valueNode.value === null || valueNode.value === ''))) {
      fail(line, `${slackUserId} has no Zoho user id: write ${slackUserId}: "<Zoho user id>"`);
    }
    if (!isScalar(valueNode)) {
      fail(
        line,
        `${slackUserId} maps to a list or a mapping: the value must be one quoted Zoho user id, e.g. ${slackUserId}: "3652397000000281001"`,
      );
    }
    const scalar = valueNode as Scalar;
    if (typeof scalar.value === 'number' || typeof scalar.value === 'bigint') {
      // YAML reads an unquoted 19-digit id as a float and rounds it (3652397000000281001 becomes
      // 3652397000000281000): the wrong person would act. Refused before it is used.
      const written = scalar.range ? text.slice(scalar.range[0], scalar.range[1]) : String(scalar.value);
      fail(
        lineAt(scalar.range) ?? line,
        `the Zoho user id ${written} is an unquoted number. YAML reads it as a floating-point number and a ` +
          `19-digit id loses its last digits (it would become ${String(scalar.value)}). Quote the id: ` +
          `${slackUserId}: "${written}"`,
      );
    }
    const zohoUserId = typeof scalar.value === 'string' ? scalar.value.trim() : '';
    if (!ZOHO_ID.test(zohoUserId)) {
      fail(
        lineAt(scalar.range) ?? line,
        `"${String(scalar.value)}" is not a Zoho user id: use the user's id (up to 19 digits, quoted), ` +
          'from Zoho CRM > Setup > Users (the number at the end of the user page URL)',
      );
    }
    const entry: IdentityOverride = { slackUserId, zohoUserId, line };
    const twin = byZohoUser.get(zohoUserId);
    if (twin) {
      fail(
        line,
        `Zoho user ${zohoUserId} is already mapped from ${twin.slackUserId} (line ${twin.line}): ` +
          'one Zoho user maps to one Slack user, so remove one of the two lines',
      );
    }
    bySlackUser.set(slackUserId, entry);
    byZohoUser.set(zohoUserId, entry);
  }
  return { file, bySlackUser, byZohoUser };
}

/** Reads the file at IDENTITY_OVERRIDES; no path → no overrides. Throws IdentityOverridesError. */
export async function loadIdentityOverrides(path: string | null | undefined): Promise<IdentityOverrides> {
  if (!path) return NO_OVERRIDES;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const why = whyUnreadable(err);
    throw new IdentityOverridesError(
      path,
      null,
      `Identity overrides file ${path}: ${why}. Fix IDENTITY_OVERRIDES to point at a readable YAML file, or unset it to match people by email only.`,
    );
  }
  return parseIdentityOverrides(text, path);
}

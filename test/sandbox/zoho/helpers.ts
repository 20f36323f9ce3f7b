/** Plain-fetch helpers for testing the simulator over HTTP (deliberately not our Zoho client). */
import { ManualClock } from '../../../src/core/clock.js';
import {
  type SimTimers,
  startZohoSimulator,
  type ZohoSimulator,
  type ZohoSimulatorOptions,
} from '../../../src/sandbox/zoho/index.js';

/** Timers that never fire by themselves: jobs then finish when the clock passes their due time. */
export const inertTimers: SimTimers = {
  setTimeout: () => Symbol('timer'),
  clearTimeout: () => {},
};

export interface TestSim {
  sim: ZohoSimulator;
  clock: ManualClock;
}

export async function startTestSim(options: ZohoSimulatorOptions = {}): Promise<TestSim> {
  const clock = new ManualClock(Date.UTC(2026, 0, 5, 12, 0, 0));
  const sim = await startZohoSimulator({ clock, timers: inertTimers, jobDelayMs: 5000, ...options });
  return { sim, clock };
}

export interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers
  body: any;
}

export async function tokenCall(
  sim: ZohoSimulator,
  params: Record<string, string>,
  asForm = true,
): Promise<Answer> {
  const qs = new URLSearchParams(params).toString();
  const res = asForm
    ? await fetch(`${sim.accountsUrl}/oauth/v2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: qs,
      })
    : await fetch(`${sim.accountsUrl}/oauth/v2/token?${qs}`, { method: 'POST' });
  return { status: res.status, body: await res.json() };
}

export async function accessToken(sim: ZohoSimulator): Promise<string> {
  const { body } = await tokenCall(sim, {
    grant_type: 'refresh_token',
    client_id: sim.credentials.clientId,
    client_secret: sim.credentials.clientSecret,
    refresh_token: sim.credentials.refreshToken,
  });
  if (typeof body.access_token !== 'string') throw new Error(`no token: ${JSON.stringify(body)}`);
  return body.access_token;
}

export async function call(
  sim: ZohoSimulator,
  token: string | null,
  path: string,
  init: { method?: string; body?: unknown } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Zoho-oauthtoken ${token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${sim.apiDomain}/crm/v8${path}`, {
    method: init.method ?? (init.body !== undefined ? 'POST' : 'GET'),
    headers,
    ...(init.body !== undefined
      ? { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }
      : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text.length > 0 ? JSON.parse(text) : null };
}

/** A client bound to one simulator and one token. */
export function client(sim: ZohoSimulator, token: string) {
  return {
    get: (path: string) => call(sim, token, path),
    post: (path: string, body: unknown) => call(sim, token, path, { body }),
    assign: (module: string, data: unknown[]) =>
      call(sim, token, `/${module}/actions/assign_territories`, { body: { data } }),
    remove: (module: string, data: unknown[]) =>
      call(sim, token, `/${module}/actions/remove_territories`, { body: { data } }),
  };
}

export function territoryId(sim: ZohoSimulator, name: string): string {
  const t = sim.territoryByName(name);
  if (!t) throw new Error(`no territory ${name}`);
  return t.id;
}

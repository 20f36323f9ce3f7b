/**
 * `npm run zoho-sim -- [--port 4010] [--state file.json] [--job-delay-ms 1500] [--latency-ms 0]`
 * Serves the demo org. The first stdout line is one JSON object with the credentials (for
 * scripts); human notes follow.
 */
import { parseArgs } from 'node:util';
import { ADMIN_ENDPOINTS } from './admin.js';
import { startZohoSimulator } from './simulator.js';

function intOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`--${name} must be a non-negative integer, got "${value}"`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      state: { type: 'string' },
      'job-delay-ms': { type: 'string' },
      'latency-ms': { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(
      'Usage: npm run zoho-sim -- [--port N] [--state FILE] [--job-delay-ms MS] [--latency-ms MS]\n',
    );
    return;
  }
  const port = intOption(values.port, 'port');
  const jobDelayMs = intOption(values['job-delay-ms'], 'job-delay-ms');
  const latencyMs = intOption(values['latency-ms'], 'latency-ms');
  const sim = await startZohoSimulator({
    ...(port !== undefined ? { port } : {}),
    ...(values.state ? { stateFile: values.state } : {}),
    ...(jobDelayMs !== undefined ? { jobDelayMs } : {}),
    ...(latencyMs !== undefined ? { latencyMs } : {}),
  });
  const first = {
    accounts_url: sim.accountsUrl,
    api_domain: sim.apiDomain,
    client_id: sim.credentials.clientId,
    client_secret: sim.credentials.clientSecret,
    refresh_token: sim.credentials.refreshToken,
  };
  const lines = [
    JSON.stringify(first),
    '',
    `Zoho CRM v8 simulator (demo org) on ${sim.url}`,
    `  API user: ${sim.apiUserId}; ${sim.territories().length} territories; state file: ${values.state ?? 'none (in memory)'}`,
    '',
    'Get a token, then call the API:',
    `  curl -s -X POST '${sim.accountsUrl}/oauth/v2/token' -d grant_type=refresh_token \\`,
    `       -d client_id=${first.client_id} -d client_secret=${first.client_secret} -d refresh_token=${first.refresh_token}`,
    `  curl -s '${sim.apiDomain}/crm/v8/settings/territories' -H 'Authorization: Zoho-oauthtoken <access_token>'`,
    '',
    'Faults and state (no token needed; JSON bodies):',
    ...Object.entries(ADMIN_ENDPOINTS).map(([k, v]) => `  ${k.padEnd(44)} ${v}`),
    '',
    'Ctrl-C to stop.',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`zoho-sim: ${signal}, shutting down\n`);
    sim.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`zoho-sim: close failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`zoho-sim: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

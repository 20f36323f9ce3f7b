/**
 * The Zoho simulator in its own process, so the memory figure measures the app alone.
 * Prints one JSON line {accountsUrl, apiDomain, credentials, territoryId(s), accountIds} and serves
 * until killed.
 */
import { bigSeed, startZohoSimulator } from '../src/sandbox/zoho/index.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};

const sim = await startZohoSimulator({
  seed: bigSeed({ territories: arg('territories', 200), records: arg('records', 1000) }),
  latencyMs: arg('latency-ms', 50),
  jobDelayMs: arg('job-delay-ms', 200),
  maxLogEntries: 100,
});
const accountIds = sim.records('Accounts').map((r) => r.id);
process.stdout.write(
  `${JSON.stringify({
    accountsUrl: sim.accountsUrl,
    apiDomain: sim.apiDomain,
    credentials: sim.credentials,
    territoryId: sim.territories().at(-1)!.id,
    // Distinct territories for successive bulks in one run (a record holds at most 10).
    territoryIds: sim
      .territories()
      .slice(-12)
      .map((t) => t.id),
    accountIds,
  })}\n`,
);
process.on('SIGTERM', () => {
  void sim.close().then(() => process.exit(0));
});

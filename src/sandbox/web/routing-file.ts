/**
 * The sandbox's routing file (ROUTING_CONFIG): the demo territories the lead routing depends
 * on, so the monitor watches a handful of territories people can break from the Zoho panel.
 * Written once; edits people make to it are kept.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Territories of the demo org (src/sandbox/zoho/seed.ts) the API user can use when healthy. */
export const DEMO_ROUTING_TERRITORIES = [
  { name: 'US West', modules: ['Leads', 'Deals'] },
  { name: 'California', modules: ['Leads', 'Accounts'] },
  { name: 'New York Metro', modules: ['Leads', 'Accounts'] },
  { name: 'DACH', modules: ['Leads', 'Deals'] },
  { name: 'UK & Ireland', modules: ['Leads', 'Deals'] },
  { name: 'India', modules: ['Leads'] },
] as const;

export function demoRoutingYaml(): string {
  const lines = [
    '# Territories the lead routing depends on; the territory health monitor watches these.',
    '# Sandbox demo file: edit it freely (territory names or quoted ids), it is not overwritten.',
    'territories:',
  ];
  for (const t of DEMO_ROUTING_TERRITORIES) {
    lines.push(`  - name: ${t.name}`, `    modules: [${t.modules.join(', ')}]`);
  }
  return `${lines.join('\n')}\n`;
}

/** Writes `routing.yml` under `dataDir` unless it exists; returns its path. */
export function ensureDemoRoutingFile(dataDir: string): string {
  const file = path.join(dataDir, 'routing.yml');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, demoRoutingYaml());
  }
  return file;
}

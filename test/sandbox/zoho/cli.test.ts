import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

describe('npm run zoho-sim', () => {
  it('prints the credentials as its first line, serves the demo org and stops cleanly on SIGTERM', async () => {
    const child = spawn(
      path.join(repoRoot, 'node_modules/.bin/tsx'),
      ['src/sandbox/zoho/cli.ts', '--port', '0'],
      {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      const lines = createInterface({ input: child.stdout! });
      const [first] = (await once(lines, 'line')) as [string];
      const creds = JSON.parse(first) as Record<string, string>;
      expect(Object.keys(creds).sort()).toEqual([
        'accounts_url',
        'api_domain',
        'client_id',
        'client_secret',
        'refresh_token',
      ]);
      expect(creds).toMatchObject({
        client_id: 'sim-client-id',
        client_secret: 'sim-client-secret',
        refresh_token: 'sim-refresh-token',
      });
      expect(creds.api_domain).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const token = await fetch(`${creds.accounts_url}/oauth/v2/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          client_id: creds.client_id!,
          client_secret: creds.client_secret!,
          refresh_token: creds.refresh_token!,
        }),
      }).then((r) => r.json() as Promise<{ access_token: string; api_domain: string }>);
      expect(token.api_domain).toBe(creds.api_domain);
      const me = await fetch(`${creds.api_domain}/crm/v8/users?type=CurrentUser`, {
        headers: { authorization: `Zoho-oauthtoken ${token.access_token}` },
      }).then((r) => r.json() as Promise<{ users: { full_name: string }[] }>);
      expect(me.users[0]!.full_name).toBe('Territory Bot');
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const [code] = (await exited) as [number | null];
      expect(code).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});

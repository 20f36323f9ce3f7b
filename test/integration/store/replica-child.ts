/**
 * A replica in its own process, for the multi-process store test: opens the store (racing the
 * others to migrate a new database), then tries to take the monitor lease at a fixed time.
 * Prints one JSON line: { holder, won }.
 */
import { openStore } from '../../../src/core/store/index.js';

const [url, holder, now] = process.argv.slice(2);
if (!url || !holder || !now) throw new Error('usage: replica-child.ts <databaseUrl> <holder> <now>');
const store = await openStore(url);
try {
  const won = await store.acquireLease('monitor', holder, 60_000, Number(now));
  await store.appendAudit({
    at: Number(now),
    actor: holder,
    action: 'replica.started',
    requestId: null,
    data: {},
  });
  process.stdout.write(`${JSON.stringify({ holder, won })}\n`);
} finally {
  await store.close();
}

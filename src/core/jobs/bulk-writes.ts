/**
 * Many single-row writes at once. A bulk costs the engine and the tracker a few row updates per
 * item, and each statement has a fixed cost, so they go through the store's batched methods:
 * one transaction per batch, each row under its own guard (job verdicts that settle items go
 * through Store.settleJobs, items and jobs together).
 */
import type { JobPatch, Store } from '../store/types.js';

export type { ItemPatchEntry, JobPatch } from '../store/types.js';

export async function patchJobs(
  store: Store,
  entries: ReadonlyArray<{ id: number; patch: JobPatch }>,
  now: number,
): Promise<void> {
  if (entries.length === 0) return;
  await store.updateJobsEach(entries, now);
}

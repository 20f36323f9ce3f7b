/**
 * Many single-row writes at once. A bulk costs the engine and the tracker a few row updates per
 * item, and each statement has a fixed cost, so they go through the store's batched methods:
 * one transaction per batch, each item under its own guard.
 */
import type { ItemPatchEntry, JobPatch, Store } from '../store/types.js';

export type { ItemPatchEntry, JobPatch } from '../store/types.js';

/** Writes every entry (each under its own guard); returns how many applied. */
export async function patchItems(
  store: Store,
  requestId: string,
  entries: readonly ItemPatchEntry[],
  now: number,
): Promise<number> {
  if (entries.length === 0) return 0;
  return store.updateItemsEach(requestId, entries, now);
}

export async function patchJobs(
  store: Store,
  entries: ReadonlyArray<{ id: number; patch: JobPatch }>,
  now: number,
): Promise<void> {
  if (entries.length === 0) return;
  await store.updateJobsEach(entries, now);
}

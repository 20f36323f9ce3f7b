/**
 * Many single-row writes at once. A bulk costs the engine and the tracker a few row updates per
 * item, and each statement has a fixed cost; when the store offers the batched methods below
 * (requested from the store owner, /work/team/requests-store.md) they are used, otherwise the
 * rows are written one by one with the same guards.
 */
import type { ItemPatch, ItemState, JobRecord, Store } from '../store/types.js';

export interface ItemPatchEntry {
  seq: number;
  patch: ItemPatch;
  /** Applies only while the item is in one of these states. */
  expectState?: readonly ItemState[];
}

export type JobPatch = Partial<Pick<JobRecord, 'state' | 'polls' | 'nextPollAt'>>;

interface BatchedWrites {
  updateItemsEach?(requestId: string, entries: readonly ItemPatchEntry[], now?: number): Promise<number>;
  updateJobsEach?(entries: ReadonlyArray<{ id: number; patch: JobPatch }>, now?: number): Promise<void>;
}

/** Writes every entry (each under its own guard); returns how many applied. */
export async function patchItems(
  store: Store,
  requestId: string,
  entries: readonly ItemPatchEntry[],
  now: number,
): Promise<number> {
  if (entries.length === 0) return 0;
  const batched = (store as Store & BatchedWrites).updateItemsEach;
  if (typeof batched === 'function') return batched.call(store, requestId, entries, now);
  let applied = 0;
  for (const e of entries) {
    if (await store.updateItem(requestId, e.seq, e.patch, e.expectState, now)) applied += 1;
  }
  return applied;
}

export async function patchJobs(
  store: Store,
  entries: ReadonlyArray<{ id: number; patch: JobPatch }>,
  now: number,
): Promise<void> {
  if (entries.length === 0) return;
  const batched = (store as Store & BatchedWrites).updateJobsEach;
  if (typeof batched === 'function') {
    await batched.call(store, entries, now);
    return;
  }
  for (const e of entries) await store.updateJob(e.id, e.patch, now);
}

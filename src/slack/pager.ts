/** A pager button click inside a paged modal (bulk preview, review): which request, which page. */
import type { BlockAction, ButtonAction } from '@slack/bolt';
import { decodePagedRequest, parsePageValue } from '../views/ids.js';

export interface PageClick {
  viewId: string;
  /** views.update with the hash fails instead of overwriting a modal that changed meanwhile. */
  hash: string;
  requestId: string;
  page: number;
  userId: string;
}

/** null for a click that is not a pager click in one of our modals (nothing to do). */
export function readPageClick(body: BlockAction<ButtonAction>, action: ButtonAction): PageClick | null {
  const view = body.view;
  const target = decodePagedRequest(view?.private_metadata);
  const page = parsePageValue(action.value);
  if (!view || !target || page === null) return null;
  return { viewId: view.id, hash: view.hash, requestId: target.requestId, page, userId: body.user.id };
}

/** Modal scaffolding shared by every view, with Slack's 24-character title/button limit applied. */
import type { KnownBlock, ModalView } from '@slack/types';
import { LIMITS, plain, section } from './blocks.js';
import { CALLBACK } from './ids.js';
import { escapeTruncate } from './text.js';

export function modal(options: {
  callbackId: string;
  title: string;
  blocks: KnownBlock[];
  submit?: string;
  close?: string;
  privateMetadata?: string;
}): ModalView {
  if (options.privateMetadata !== undefined && options.privateMetadata.length > LIMITS.privateMetadata) {
    throw new RangeError(`private_metadata longer than ${LIMITS.privateMetadata} characters`);
  }
  return {
    type: 'modal',
    callback_id: options.callbackId,
    title: plain(options.title, LIMITS.modalTitle),
    ...(options.submit ? { submit: plain(options.submit, LIMITS.modalTitle) } : {}),
    close: plain(options.close ?? 'Cancel', LIMITS.modalTitle),
    ...(options.privateMetadata !== undefined ? { private_metadata: options.privateMetadata } : {}),
    blocks: options.blocks.slice(0, LIMITS.modalBlocks),
  };
}

/**
 * Opened at once with the trigger_id (it lives 3 s), then replaced with `views.update` once the
 * slow part (catalog, Zoho reads) is done.
 */
export function buildLoadingModal(input: { title: string; message?: string }): ModalView {
  return modal({
    callbackId: CALLBACK.loadingModal,
    title: input.title,
    close: 'Close',
    blocks: [section(`:hourglass_flowing_sand: ${escapeTruncate(input.message ?? 'Opening…', 500)}`)],
  });
}

/** Replaces a modal that could not be filled in: what went wrong and what to do. */
export function buildErrorModal(input: { title?: string; problem: string; action: string }): ModalView {
  return modal({
    callbackId: CALLBACK.errorModal,
    title: input.title ?? 'Something went wrong',
    close: 'Close',
    blocks: [
      section(`:x: ${escapeTruncate(input.problem, 1500)}`),
      section(`*What to do:* ${escapeTruncate(input.action, 1400)}`),
    ],
  });
}

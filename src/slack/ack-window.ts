/**
 * Slack wants a view submission acked within 3 s. A listener that can answer inline (errors,
 * close) when its work is quick races that work against this window; when the window passes
 * first it acks with a "checking…" view and finishes the work afterwards.
 */

/** Leaves room under Slack's 3 s for the ack itself to travel. */
export const ACK_WINDOW_MS = 2_000;

export const LATE = 'late' as const;

/** The work's result if it settles within the window, `'late'` otherwise (the work keeps running). */
export function withinAckWindow<T>(work: Promise<T>, windowMs = ACK_WINDOW_MS): Promise<T | typeof LATE> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<typeof LATE>((resolve) => {
    timer = setTimeout(() => resolve(LATE), windowMs);
    timer.unref?.();
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

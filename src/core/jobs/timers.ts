/**
 * Timer functions injected into the job tracker and the engine's retry wake-ups. The default
 * looks `setTimeout` up at call time, so vitest's fake timers (which replace the global) apply.
 */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const globalTimers: Timers = {
  setTimeout: (fn, ms) => {
    const handle = setTimeout(fn, ms);
    // Background polling must not keep a finished process (or a test worker) alive.
    (handle as { unref?: () => void }).unref?.();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

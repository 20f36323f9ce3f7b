/**
 * Checks a lifecycle against its table spelled out by hand: every allowed (state, event) pair
 * leads where the test says, every other pair is refused, and the derived final/open sets are
 * the ones the test expects. Any change to a table must change its test.
 */
import { describe, expect, it } from 'vitest';
import type { Lifecycle } from '../../../src/core/lifecycle.js';

export function describeLifecycle<S extends string, E extends string>(
  lifecycle: Lifecycle<S, E>,
  spec: { events: readonly E[]; allowed: Partial<Record<`${S}+${E}`, S>>; final: readonly S[] },
): void {
  describe(`${lifecycle.name} lifecycle table`, () => {
    for (const state of lifecycle.states) {
      for (const event of spec.events) {
        const expected = spec.allowed[`${state}+${event}` as `${S}+${E}`];
        it(`${state} --${event}--> ${expected ?? 'refused'}`, () => {
          const r = lifecycle.apply(state, event);
          if (expected) expect(r).toEqual({ ok: true, event, from: state, to: expected });
          else {
            expect(r.ok).toBe(false);
            expect(() => lifecycle.to(state, event)).toThrow(/not allowed/);
          }
        });
      }
    }

    it('derives its final and open states from the table', () => {
      expect([...lifecycle.final].sort()).toEqual([...spec.final].sort());
      expect([...lifecycle.open].sort()).toEqual(
        lifecycle.states.filter((s) => !spec.final.includes(s)).sort(),
      );
      for (const s of lifecycle.states) expect(lifecycle.isFinal(s)).toBe(spec.final.includes(s));
    });

    it('has a transition for every event', () => {
      for (const e of spec.events) expect(lifecycle.transitions.some((t) => t.event === e)).toBe(true);
    });
  });
}

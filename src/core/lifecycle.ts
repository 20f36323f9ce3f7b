/**
 * A lifecycle written once as data (DESIGN.md §7): its states, the transitions between them
 * (each with the event that causes it and why), and the one function that applies an event.
 * The final states (no way out) and the open ones (the rest) are derived from the table, so no
 * other file lists them again.
 */

export interface TransitionRule<S extends string, E extends string, W extends string = never> {
  event: E;
  from: readonly S[];
  to: S;
  /** Why this transition exists (kept with the table so the reader need not look elsewhere). */
  why: string;
  /** Branch of an event that can lead to different states (e.g. submit with or without approval). */
  when?: W;
}

export type Applied<S extends string, E extends string> =
  | { ok: true; event: E; from: S; to: S }
  | { ok: false; event: E; from: S };

export class Lifecycle<S extends string, E extends string, W extends string = never> {
  /** States nothing leads out of. */
  readonly final: readonly S[];
  /** States something still leads out of. */
  readonly open: readonly S[];
  private readonly finalSet: ReadonlySet<S>;

  constructor(
    readonly name: string,
    readonly states: readonly S[],
    readonly transitions: readonly TransitionRule<S, E, W>[],
  ) {
    const leaving = new Set<S>(transitions.flatMap((t) => t.from));
    this.final = states.filter((s) => !leaving.has(s));
    this.open = states.filter((s) => leaving.has(s));
    this.finalSet = new Set(this.final);
    for (const t of transitions) {
      for (const s of [...t.from, t.to]) {
        if (!states.includes(s)) throw new Error(`${name} lifecycle: unknown state ${s} in ${t.event}`);
      }
    }
  }

  isFinal(state: S): boolean {
    return this.finalSet.has(state);
  }

  /** The rule `event` follows (in branch `when`, if the event has branches). */
  rule(event: E, when?: W): TransitionRule<S, E, W> {
    const rule = this.transitions.find(
      (t) => t.event === event && (t.when === undefined || when === undefined || t.when === when),
    );
    if (!rule) throw new Error(`${this.name} lifecycle: no transition for event ${event}`);
    return rule;
  }

  /** Where `event` leads, whatever the state it leaves (the patch an event writes). */
  target(event: E, when?: W): S {
    return this.rule(event, when).to;
  }

  /** The states `event` may leave (for the store's conditional updates). */
  from(event: E, when?: W): readonly S[] {
    return this.rule(event, when).from;
  }

  /** The one transition function: where `event` takes `state`, or a refusal. */
  apply(state: S, event: E, when?: W): Applied<S, E> {
    const rule = this.transitions.find(
      (t) =>
        t.event === event &&
        (t.when === undefined || when === undefined || t.when === when) &&
        t.from.includes(state),
    );
    return rule ? { ok: true, event, from: state, to: rule.to } : { ok: false, event, from: state };
  }

  /** `state` and every state some sequence of transitions leads to from it. */
  reachableFrom(state: S): readonly S[] {
    const seen = new Set<S>([state]);
    for (const s of seen) {
      for (const t of this.transitions) if (t.from.includes(s)) seen.add(t.to);
    }
    return this.states.filter((s) => seen.has(s));
  }

  /** Like `apply`, for code paths where a refusal is a bug: throws instead. */
  to(state: S, event: E, when?: W): S {
    const r = this.apply(state, event, when);
    if (!r.ok) throw new Error(`${this.name} lifecycle: ${event} is not allowed from ${state}`);
    return r.to;
  }
}

/**
 * One Bolt listener per kind of delivery, routing by id here. Bolt runs the middleware chain of
 * every registered listener for every delivery and spreads the listener arguments at each step:
 * with one listener per id (fifteen), the chains of those that did not match took a sixth of a
 * slash command's CPU and most of what it left for the collector (issue 13). Registered once per
 * kind, the other ids cost a pattern test here.
 */

/** An id as Bolt's constraints take it: exact, or a pattern without flags. */
export type IdPattern = string | RegExp;

/**
 * A handler of one id. Its argument type is asserted, not checked, as with Bolt's own
 * `app.action<BlockAction<ButtonAction>>(id, …)`: the table erases it to one type.
 */
// biome-ignore lint/suspicious/noExplicitAny: erased argument type, see above
type AnyHandler = (args: any) => Promise<void>;

export interface IdRoutes<A> {
  /** Matches exactly the ids of the table: the constraint the one Bolt listener registers with. */
  pattern: RegExp;
  /** Runs the handler of the first route whose id matches; false if none does. */
  dispatch(id: string, args: A): Promise<boolean>;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function idRoutes<A>(routes: ReadonlyArray<readonly [IdPattern, AnyHandler]>): IdRoutes<A> {
  const parts = routes.map(([id]) => {
    if (typeof id === 'string') return `^${escapeRegExp(id)}$`;
    // A flag would change what the alternation matches, not only this route.
    if (id.flags !== '') throw new Error(`an id pattern takes no flags: ${id}`);
    return `(?:${id.source})`;
  });
  const matches = (id: IdPattern, value: string) => (typeof id === 'string' ? id === value : id.test(value));
  return {
    pattern: new RegExp(parts.join('|')),
    async dispatch(id, args) {
      const route = routes.find(([pattern]) => matches(pattern, id));
      if (!route) return false;
      await route[1](args);
      return true;
    },
  };
}

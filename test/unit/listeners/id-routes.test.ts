import { describe, expect, it } from 'vitest';
import { idRoutes } from '../../../src/listeners/id-routes.js';

describe('idRoutes', () => {
  const seen: string[] = [];
  const handler = (name: string) => async (args: { n: number }) => {
    seen.push(`${name}:${args.n}`);
  };
  const routes = idRoutes<{ n: number }>([
    ['approval_review', handler('review')],
    [/^review_page_(prev|next)$/, handler('page')],
    ['a.b', handler('dotted')],
  ]);

  it('matches exactly the ids of its table', () => {
    for (const id of ['approval_review', 'review_page_prev', 'review_page_next', 'a.b'])
      expect(routes.pattern.test(id), id).toBe(true);
    for (const id of ['approval_review_x', 'xapproval_review', 'review_page_last', 'aXb', ''])
      expect(routes.pattern.test(id), id).toBe(false);
  });

  it('runs the handler of the id, with the arguments', async () => {
    seen.length = 0;
    expect(await routes.dispatch('review_page_next', { n: 1 })).toBe(true);
    expect(await routes.dispatch('approval_review', { n: 2 })).toBe(true);
    expect(await routes.dispatch('nobody', { n: 3 })).toBe(false);
    expect(seen).toEqual(['page:1', 'review:2']);
  });

  it('refuses a pattern with flags, which would change the whole alternation', () => {
    expect(() => idRoutes([[/^x$/i, async () => {}]])).toThrow(/no flags/);
  });

  it('passes a handler failure on to Bolt', async () => {
    const failing = idRoutes<undefined>([
      [
        'x',
        async () => {
          throw new Error('boom');
        },
      ],
    ]);
    await expect(failing.dispatch('x', undefined)).rejects.toThrow('boom');
  });
});

import { describe, expect, it } from 'vitest';
import { Limiter } from '../../../src/core/zoho/limiter.js';
import { apiInLane, type ZohoApi } from '../../../src/core/zoho/types.js';
import { fakeZohoWire } from './fake-zoho-wire.js';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('Limiter lanes', () => {
  it('runs at most `max` tasks and lets interactive work overtake queued bulk work', async () => {
    const limiter = new Limiter(2);
    const order: string[] = [];
    const gates = new Map<string, ReturnType<typeof deferred>>();
    const task = (name: string, lane: 'interactive' | 'bulk') => {
      const gate = deferred();
      gates.set(name, gate);
      return limiter.run(async () => {
        order.push(name);
        await gate.promise;
      }, lane);
    };
    const all = [
      task('b1', 'bulk'),
      task('b2', 'bulk'),
      task('b3', 'bulk'),
      task('b4', 'bulk'),
      task('single', 'interactive'),
    ];
    await Promise.resolve();
    expect(order).toEqual(['b1', 'b2']);
    expect(limiter.running).toBe(2);
    gates.get('b1')!.resolve();
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual(['b1', 'b2', 'single']);
    for (const name of ['b2', 'single', 'b3', 'b4']) {
      gates.get(name)?.resolve();
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all(all);
    expect(order).toEqual(['b1', 'b2', 'single', 'b3', 'b4']);
    expect(limiter.running).toBe(0);
  });

  it("serves background work last; a client's lane views queue their calls in their lane", async () => {
    // The engine's limiter runs a batch in the bulk lane and makes its Zoho call through the
    // client's bulk view; the client's own limiter (the Zoho cap) queues the call in that lane.
    const fake = fakeZohoWire();
    try {
      fake.serve((req) => ({
        status: 200,
        body: { users: [{ id: req.query.get('type') ?? 'x', full_name: 'Api User', status: 'active' }] },
      }));
      const client = fake.client({ maxConcurrency: 1 });
      await client.checkAuth();
      expect(client.inLane('bulk')).toBe(client.inLane('bulk'));
      expect(client.inLane('interactive')).toBe(client);
      expect(client.inLane('bulk').inLane('interactive')).toBe(client);
      const order: string[] = [];
      const call = (name: string, api: ZohoApi) => api.getCurrentUser().then(() => void order.push(name));
      const all = [
        call('first', client),
        call('poll', apiInLane(client, 'background')),
        call('send', apiInLane(client, 'bulk')),
        call('show', client),
      ];
      await Promise.all(all);
      expect(order).toEqual(['first', 'show', 'send', 'poll']);
      expect(fake.calls).toHaveLength(4);
    } finally {
      await fake.agent.close();
    }
  });

  it('gives background work no slot while a bulk runs, then every free slot at once', async () => {
    const limiter = new Limiter(3);
    const started: string[] = [];
    const gates = new Map<string, ReturnType<typeof deferred>>();
    const task = (name: string, lane: 'bulk' | 'background') => {
      const gate = deferred();
      gates.set(name, gate);
      return limiter.run(async () => {
        started.push(name);
        await gate.promise;
      }, lane);
    };
    const tick = () => new Promise((r) => setImmediate(r));
    const all = [task('b1', 'bulk'), task('b2', 'bulk'), task('p1', 'background'), task('p2', 'background')];
    await tick();
    // A slot is free, but the bulk is running: the polls wait.
    expect(started).toEqual(['b1', 'b2']);
    gates.get('b1')!.resolve();
    await tick();
    // The slot b1 freed stays free for the bulk's next call.
    expect(started).toEqual(['b1', 'b2']);
    all.push(task('b3', 'bulk'));
    await tick();
    expect(started).toEqual(['b1', 'b2', 'b3']);
    gates.get('b2')!.resolve();
    gates.get('b3')!.resolve();
    await tick();
    // The bulk is done: both polls start together.
    expect(started).toEqual(['b1', 'b2', 'b3', 'p1', 'p2']);
    expect(limiter.running).toBe(2);
    gates.get('p1')!.resolve();
    gates.get('p2')!.resolve();
    await Promise.all(all);
    expect(limiter.running).toBe(0);
  });

  it('releases the slot when a task throws', async () => {
    const limiter = new Limiter(1);
    await expect(limiter.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await limiter.run(async () => 42)).toBe(42);
    expect(() => new Limiter(0)).toThrow(RangeError);
  });
});

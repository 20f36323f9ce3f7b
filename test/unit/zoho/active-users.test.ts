import { afterEach, describe, expect, it } from 'vitest';
import { ZohoResponseError } from '../../../src/core/zoho/index.js';
import { type FakeZohoWire as FakeZoho, fakeZohoWire as fakeZoho, info } from './fake-zoho-wire.js';

const id = (n: number) => `5550000000${String(n).padStart(8, '0')}`;

const userWire = (n: number) => ({
  id: id(n),
  first_name: 'User',
  last_name: String(n),
  full_name: `User ${n}`,
  email: `user${n}@example.com`,
  status: 'active',
  zuid: String(70000 + n),
  role: { name: 'Sales', id: id(900) },
  profile: { name: 'Standard', id: id(901) },
  confirm: true,
  time_zone: 'Europe/Berlin',
});

describe('ZohoClient.listActiveUsers', () => {
  let fake: FakeZoho;
  afterEach(async () => {
    await fake.agent.close();
  });

  it('GET /crm/v8/users?type=ActiveUsers&per_page=200&page=N until info.more_records is false', async () => {
    fake = fakeZoho();
    const all = Array.from({ length: 450 }, (_, i) => userWire(i + 1));
    fake.serve((req) => {
      const page = Number(req.query.get('page') ?? '1');
      const items = all.slice((page - 1) * 200, page * 200);
      return {
        status: 200,
        body: { users: items, info: info(page, 200, items.length, page * 200 < all.length) },
      };
    });
    const users = await fake.client().listActiveUsers();
    expect(fake.calls.map((c) => [c.method, c.path, c.rawQuery])).toEqual([
      ['GET', '/crm/v8/users', 'type=ActiveUsers&per_page=200&page=1'],
      ['GET', '/crm/v8/users', 'type=ActiveUsers&per_page=200&page=2'],
      ['GET', '/crm/v8/users', 'type=ActiveUsers&per_page=200&page=3'],
    ]);
    expect(users).toHaveLength(450);
    expect(users[0]).toEqual({
      id: id(1),
      fullName: 'User 1',
      email: 'user1@example.com',
      status: 'active',
      zuid: '70001',
      roleName: 'Sales',
      profileName: 'Standard',
    });
    expect(new Set(users.map((u) => u.id)).size).toBe(450);
  });

  it('a 204 (no users) is an empty list', async () => {
    fake = fakeZoho();
    fake.serve(() => ({ status: 204 }));
    expect(await fake.client().listActiveUsers()).toEqual([]);
    expect(fake.calls).toHaveLength(1);
  });

  it('composes the name from first and last name when full_name is absent; no email → null', async () => {
    fake = fakeZoho();
    fake.serve(() => ({
      status: 200,
      body: {
        users: [{ id: id(5), first_name: 'Ana', last_name: 'Lima', status: 'active' }],
        info: info(1, 200, 1, false),
      },
    }));
    const [u] = await fake.client().listActiveUsers();
    expect(u).toMatchObject({ id: id(5), fullName: 'Ana Lima', email: null, status: 'active' });
  });

  it('a numeric user id is refused rather than rounded', async () => {
    fake = fakeZoho();
    fake.serve(() => ({
      status: 200,
      body: { users: [{ id: 5550000000000000000, full_name: 'X' }], info: info(1, 200, 1, false) },
    }));
    const err = await fake
      .client()
      .listActiveUsers()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZohoResponseError);
    expect((err as Error).message).toContain('/crm/v8/users');
  });
});

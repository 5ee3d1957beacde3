import { describe, expect, it } from 'vitest';
import { AppError } from '../errors/AppError.ts';
import { Store } from '../store/Store.ts';
import { type CliIo, runAdminCommand } from './runAdminCommand.ts';
import { UsageError } from './UsageError.ts';

/** Runs one admin command against `store`, returning what it printed. */
async function admin(store: Store, ...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (line) => void out.push(line),
    err: (line) => void err.push(line),
    readStdin: async () => '',
  };
  await runAdminCommand(args, store, io);
  return { out, err };
}

describe('admin add-member', () => {
  async function twoTenantsAndAnAdmin() {
    const store = Store.open({ dataDir: ':memory:' });
    await admin(store, 'create-tenant', '--slug', 'acme', '--name', 'Acme');
    await admin(store, 'create-tenant', '--slug', 'globex', '--name', 'Globex');
    await admin(store, 'create-user', '--email', 'noc@acme.test', '--name', 'NOC');
    await admin(
      store,
      'add-member',
      '--tenant',
      'acme',
      '--email',
      'noc@acme.test',
      '--role',
      'admin',
    );
    return store;
  }

  it('gives an existing user a second tenant with a different role', async () => {
    const store = await twoTenantsAndAnAdmin();
    const added = await admin(
      store,
      'add-member',
      '--tenant',
      'globex',
      '--email',
      'NOC@acme.test',
      '--role',
      'viewer',
    );

    const user = await store.findUserByEmail('noc@acme.test');
    expect(added).toEqual({
      out: [user?.id],
      err: ['added noc@acme.test to tenant "globex" as viewer'],
    });
    const roles = (await store.membershipsOf(user?.id ?? '')).map((m) => [m.tenant.slug, m.role]);
    expect(roles).toEqual([
      ['acme', 'admin'],
      ['globex', 'viewer'],
    ]);
  });

  it('refuses an unknown email, a member added twice and a role that does not exist', async () => {
    const store = await twoTenantsAndAnAdmin();
    const add = (email: string, role: string) =>
      admin(store, 'add-member', '--tenant', 'acme', '--email', email, '--role', role);

    await expect(add('nobody@acme.test', 'viewer')).rejects.toThrow(
      new AppError('not_found', 'no user with email nobody@acme.test; create-user first'),
    );
    await expect(add('noc@acme.test', 'viewer')).rejects.toThrow(
      'noc@acme.test is already a member (role admin); change the role instead',
    );
    await expect(add('noc@acme.test', 'owner')).rejects.toBeInstanceOf(UsageError);
    await expect(admin(store, 'add-member', '--tenant', 'acme')).rejects.toThrow(
      'missing --email, --role',
    );
    await expect(
      admin(store, 'create-user', '--email', 'noc@acme.test', '--name', 'Again'),
    ).rejects.toThrow('a user with email noc@acme.test already exists; use add-member');
  });
});

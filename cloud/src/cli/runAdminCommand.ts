import { parseArgs } from 'node:util';
import { z } from 'zod';
import { roleSchema } from '../auth/Role.ts';
import { AppError } from '../errors/AppError.ts';
import type { Actor } from '../store/records.ts';
import type { Store } from '../store/Store.ts';
import { UsageError } from './UsageError.ts';

const cliActor: Actor = { kind: 'cli', id: null, label: 'plumbline-cloud admin (command line)' };

export interface CliIo {
  /** The command's result, for scripts: `token=$(plumbline-cloud admin create-token ...)`. */
  out(line: string): void;
  /** What a person reads: what was done, and what to do next. */
  err(line: string): void;
  readStdin(): Promise<string>;
}

/**
 * `admin create-tenant | create-user | add-member | create-token`: bootstrapping without a
 * database tool.
 */
export async function runAdminCommand(args: string[], store: Store, io: CliIo): Promise<void> {
  const [command, ...rest] = args;
  switch (command) {
    case 'create-tenant':
      return createTenant(rest, store, io);
    case 'create-user':
      return createUser(rest, store, io);
    case 'add-member':
      return addMember(rest, store, io);
    case 'create-token':
      return createToken(rest, store, io);
    case 'create-enrollment-token':
      return createEnrollmentToken(rest, store, io);
    default:
      throw new UsageError(
        `unknown admin command "${command ?? ''}"; ` +
          'use create-tenant, create-user, add-member, create-token or create-enrollment-token',
      );
  }
}

async function createTenant(args: string[], store: Store, io: CliIo): Promise<void> {
  const { slug, name } = required(args, { slug: 'string', name: 'string' }, ['slug', 'name']);
  const tenant = await store.createTenant({ slug, displayName: name }, cliActor);
  io.err(`created tenant "${tenant.slug}" (${tenant.displayName})`);
  io.out(tenant.id);
}

async function createUser(args: string[], store: Store, io: CliIo): Promise<void> {
  const options = {
    email: 'string',
    name: 'string',
    tenant: 'string',
    role: 'string',
    'password-stdin': 'boolean',
  } as const;
  const values = required(args, options, ['email', 'name']);
  const password = values['password-stdin']
    ? (await io.readStdin()).replace(/\r?\n$/, '')
    : undefined;
  const membership = values.tenant === undefined ? undefined : await tenantAndRole(values, store);
  if (await store.findUserByEmail(values.email)) {
    const hint = 'use add-member to give them a tenant';
    throw new AppError('conflict', `a user with email ${values.email} already exists; ${hint}`);
  }

  const user = await store.createUser(
    { email: values.email, displayName: values.name, ...(password !== undefined && { password }) },
    cliActor,
  );
  io.err(
    `created user ${user.email}${password === undefined ? ' (no password: tokens only)' : ''}`,
  );
  if (membership) {
    await store
      .tenant(membership.tenantId)
      .addMember({ email: user.email, role: membership.role }, cliActor);
    io.err(`added ${user.email} to tenant "${values.tenant}" as ${membership.role}`);
  }
  io.out(user.id);
}

/**
 * Adds an existing user to a tenant: the way to give a user a second tenant, or to make them the
 * first admin of a new one, since `create-user` refuses an email that exists.
 */
async function addMember(args: string[], store: Store, io: CliIo): Promise<void> {
  const options = { tenant: 'string', email: 'string', role: 'string' } as const;
  const values = required(args, options, ['tenant', 'email', 'role']);
  const { tenantId, role } = await tenantAndRole(values, store);
  const user = await store.findUserByEmail(values.email);
  if (!user) {
    throw new AppError('not_found', `no user with email ${values.email}; create-user first`);
  }

  await store.tenant(tenantId).addMember({ email: user.email, role }, cliActor);
  io.err(`added ${user.email} to tenant "${values.tenant}" as ${role}`);
  io.out(user.id);
}

async function createToken(args: string[], store: Store, io: CliIo): Promise<void> {
  const options = {
    tenant: 'string',
    user: 'string',
    name: 'string',
    'expires-in-days': 'string',
  } as const;
  const values = required(args, options, ['tenant', 'user', 'name']);
  const tenant = await findTenant(values.tenant, store);
  const user = await store.findUserByEmail(values.user);
  if (!user)
    throw new AppError('not_found', `no user with email ${values.user}; create-user first`);
  const days = values['expires-in-days'];
  const expiresInDays =
    days === undefined ? undefined : z.coerce.number().int().min(1).max(3650).parse(days);

  const { token, secret } = await store
    .tenant(tenant.id)
    .createToken(
      { userId: user.id, name: values.name, ...(expiresInDays !== undefined && { expiresInDays }) },
      cliActor,
    );
  const expiry =
    token.expiresAt === null
      ? 'never expires'
      : `expires ${new Date(token.expiresAt).toISOString()}`;
  io.err(`created API token "${token.name}" for ${user.email} in "${tenant.slug}" (${expiry}).`);
  io.err('It is shown once, below; store it now. Use it as "Authorization: Bearer <token>".');
  io.out(secret);
}

/** A single-use token with which one agent enrolls in the tenant; printed once, on stdout. */
async function createEnrollmentToken(args: string[], store: Store, io: CliIo): Promise<void> {
  const values = required(args, { tenant: 'string', 'ttl-minutes': 'string' } as const, ['tenant']);
  const tenant = await findTenant(values.tenant, store);
  const ttl = values['ttl-minutes'];
  const parsed = z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .safeParse(ttl ?? 60);
  if (!parsed.success) {
    throw new UsageError(`--ttl-minutes must be a whole number from 1 to 10080, got "${ttl}"`);
  }
  const { token, expiresAt } = await store
    .agents()
    .createEnrollmentToken(tenant.id, parsed.data * 60_000, cliActor);
  io.err(
    `created an enrollment token for tenant "${tenant.slug}"; it enrolls one agent and ` +
      `expires ${new Date(expiresAt).toISOString()}.`,
  );
  io.err('It is shown once, below: plumbline-agent enroll --cloud URL --token <token>');
  io.out(token);
}

async function tenantAndRole(values: { tenant?: string; role?: string }, store: Store) {
  const tenant = await findTenant(values.tenant ?? '', store);
  const role = roleSchema.safeParse(values.role ?? 'viewer');
  if (!role.success)
    throw new UsageError(`--role must be admin, approver or viewer, got "${values.role}"`);
  return { tenantId: tenant.id, role: role.data };
}

async function findTenant(slug: string, store: Store) {
  const tenant = await store.findTenantBySlug(slug);
  if (!tenant)
    throw new AppError('not_found', `no tenant with slug "${slug}"; create-tenant first`);
  return tenant;
}

type OptionTypes = Record<string, 'string' | 'boolean'>;
type Values<T extends OptionTypes, R extends keyof T> = {
  [K in keyof T]?: T[K] extends 'boolean' ? boolean : string;
} & { [K in R]-?: T[K] extends 'boolean' ? boolean : string };

/** Parses `--name value` options strictly; a missing required one is named in a usage error. */
function required<T extends OptionTypes, R extends keyof T & string>(
  args: string[],
  types: T,
  requiredNames: R[],
): Values<T, R> {
  const options = Object.fromEntries(Object.entries(types).map(([name, type]) => [name, { type }]));
  let values: Record<string, unknown>;
  try {
    values = parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const missing = requiredNames.filter((name) => values[name] === undefined);
  if (missing.length > 0)
    throw new UsageError(`missing ${missing.map((n) => `--${n}`).join(', ')}`);
  return values as Values<T, R>;
}

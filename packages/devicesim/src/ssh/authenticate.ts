import { timingSafeEqual } from 'node:crypto';
import ssh2, { type AuthContext, type ParsedKey } from 'ssh2';
import type { DeviceFaults } from '../DeviceFaults.ts';

export interface Credentials {
  username: string;
  password: string;
  /** OpenSSH public key lines (`ssh-ed25519 AAAA... comment`) that may log in as `username`. */
  authorizedKeys: readonly string[];
}

const { utils } = ssh2;
const methods: AuthContext['method'][] = ['password', 'publickey', 'keyboard-interactive'];

/**
 * Answers one authentication request with password, public key or keyboard-interactive
 * (a single `Password: ` prompt, as EOS and Junos ask). The reject-logins fault refuses all.
 */
export function authenticate(
  ctx: AuthContext,
  credentials: Credentials,
  faults: DeviceFaults,
): void {
  const userOk = sameText(ctx.username, credentials.username);
  const answer = (ok: boolean) => (ok ? ctx.accept() : ctx.reject(methods));
  if (faults.rejectLogins === true) {
    ctx.reject(methods);
  } else if (ctx.method === 'password') {
    answer(userOk && sameText(ctx.password, credentials.password));
  } else if (ctx.method === 'keyboard-interactive') {
    ctx.prompt([{ prompt: 'Password: ', echo: false }], (answers) => {
      answer(userOk && sameText(answers[0] ?? '', credentials.password));
    });
  } else if (ctx.method === 'publickey') {
    const key = userOk ? authorizedKey(ctx.key, credentials.authorizedKeys) : undefined;
    // Without a signature the client only asks whether the key would do.
    const signed = ctx.signature !== undefined && ctx.blob !== undefined;
    answer(
      key !== undefined &&
        (!signed || key.verify(ctx.blob as Buffer, ctx.signature as Buffer, ctx.hashAlgo) === true),
    );
  } else {
    ctx.reject(methods);
  }
}

function authorizedKey(
  offered: { algo: string; data: Buffer },
  authorizedKeys: readonly string[],
): ParsedKey | undefined {
  for (const line of authorizedKeys) {
    const parsed = utils.parseKey(line);
    const key = Array.isArray(parsed) ? parsed[0] : parsed;
    if (key === undefined || key instanceof Error) continue;
    if (key.type === offered.algo && key.getPublicSSH().equals(offered.data)) return key;
  }
  return undefined;
}

function sameText(actual: string, expected: string): boolean {
  const a = Buffer.from(actual);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

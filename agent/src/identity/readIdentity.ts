import { readFileSync, statSync } from 'node:fs';
import { AgentError } from '../AgentError.ts';
import { type AgentIdentity, agentIdentitySchema } from './AgentIdentity.ts';
import { identityPath } from './identityPath.ts';

const maxIdentityBytes = 64 * 1024;

/** Reads and checks `<stateDir>/identity.json`; a missing or damaged file is an AgentError. */
export function readIdentity(stateDir: string): AgentIdentity {
  const path = identityPath(stateDir);
  let text: string;
  try {
    const size = statSync(path).size;
    if (size > maxIdentityBytes) {
      throw new AgentError(
        'identity_invalid',
        `${path} is ${size} bytes, expected an identity under ${maxIdentityBytes}; ` +
          'enroll again with --force',
      );
    }
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof AgentError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new AgentError(
        'identity_missing',
        `no agent identity at ${path}; run "plumbline-agent enroll --cloud URL --token T" first`,
      );
    }
    throw new AgentError('identity_invalid', `cannot read ${path}: ${(error as Error).message}`);
  }
  return parseIdentity(text, path);
}

function parseIdentity(text: string, path: string): AgentIdentity {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AgentError('identity_invalid', `${path} is not JSON; enroll again with --force`);
  }
  const parsed = agentIdentitySchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AgentError(
      'identity_invalid',
      `${path} is not a valid identity (${issue?.path.join('.') || 'file'}: ${issue?.message}); ` +
        'enroll again with --force',
    );
  }
  return parsed.data;
}

import { describe, expect, it } from 'vitest';
import { componentLogger, createLogger } from './createLogger.js';
import { REDACTED } from './redact.js';

const SECRETS = [
  'nb-token-0123456789abcdef0123456789abcdef',
  'hunter2-device-password',
  'enable-secret-xyz',
  'MIIEowIBAAKCAQEAsecretkeymaterial',
  'webhook-shared-secret-42',
  'session-cookie-value',
];

function capture() {
  const lines: string[] = [];
  const destination = { write: (line: string) => void lines.push(line) };
  const logger = createLogger({ name: 'test', level: 'debug', destination });
  const records = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { lines, logger, records };
}

describe('createLogger', () => {
  it('writes one JSON object per line with name, level, time and message', () => {
    const { lines, records, logger } = capture();
    logger.info({ deviceId: 'd1' }, 'fetched config');

    expect(lines).toHaveLength(1);
    expect(lines[0]?.endsWith('\n')).toBe(true);
    expect(records()[0]).toMatchObject({
      name: 'test',
      level: 30,
      deviceId: 'd1',
      msg: 'fetched config',
    });
    expect(typeof records()[0]?.time).toBe('string');
  });

  it('redacts secret-bearing fields at any depth and keeps the rest', () => {
    const { lines, records, logger } = capture();
    logger.info({
      integration: { name: 'nb-prod', token: SECRETS[0] },
      request: { headers: { Authorization: `Token ${SECRETS[0]}`, accept: 'application/json' } },
      devices: [{ name: 'r1', credentials: { username: 'admin', password: SECRETS[1] } }],
      deep: { a: { b: { c: { d: { enable_secret: SECRETS[2] } } } } },
      ssh: {
        privateKey: `-----BEGIN OPENSSH PRIVATE KEY-----\n${SECRETS[3]}\n-----END OPENSSH PRIVATE KEY-----`,
      },
      webhook: { url: 'http://10.0.0.1/hook', secret: SECRETS[4] },
      'Set-Cookie': SECRETS[5],
    });

    const output = lines.join('');
    for (const secret of SECRETS) expect(output).not.toContain(secret);
    expect(records()[0]).toMatchObject({
      integration: { name: 'nb-prod', token: REDACTED },
      request: { headers: { Authorization: REDACTED, accept: 'application/json' } },
      devices: [{ name: 'r1', credentials: { username: 'admin', password: REDACTED } }],
      deep: { a: { b: { c: { d: { enable_secret: REDACTED } } } } },
      ssh: { privateKey: REDACTED },
      webhook: { url: 'http://10.0.0.1/hook', secret: REDACTED },
      'Set-Cookie': REDACTED,
    });
  });

  it('redacts secrets in child-logger bindings and in message strings', () => {
    const { lines, logger } = capture();
    const child = componentLogger(logger, 'nautobot').child({ apiToken: SECRETS[0] });
    child.warn(`request failed with header Authorization: Bearer ${SECRETS[0]}`);
    child.info('key was -----BEGIN RSA PRIVATE KEY-----\n%s\n-----END RSA PRIVATE KEY-----', 'x');

    const output = lines.join('');
    expect(output).not.toContain(SECRETS[0]);
    expect(output).toContain('"component":"nautobot"');
    expect(output).toContain(`Bearer ${REDACTED}`);
    expect(output).not.toContain('BEGIN RSA PRIVATE KEY');
  });

  it('keeps an error readable while scrubbing secrets from its message and fields', () => {
    const { lines, records, logger } = capture();
    const error = Object.assign(new Error(`login refused for Token ${SECRETS[0]}`), {
      code: 'AUTH_FAILED',
      password: SECRETS[1],
    });
    logger.error({ err: error }, 'probe failed');

    const output = lines.join('');
    expect(output).not.toContain(SECRETS[0]);
    expect(output).not.toContain(SECRETS[1]);
    const err = records()[0]?.err as Record<string, unknown>;
    expect(err).toMatchObject({ type: 'Error', code: 'AUTH_FAILED', password: REDACTED });
    expect(err.message).toBe(`login refused for Token ${REDACTED}`);
    expect(String(err.stack)).toContain('createLogger.test.ts');
  });

  it('survives cycles and never changes the object it was given', () => {
    const { records, logger } = capture();
    const node: Record<string, unknown> = { name: 'r1', secret: SECRETS[4] };
    node.self = node;
    logger.info({ node });

    expect(node.secret).toBe(SECRETS[4]);
    expect(records()[0]?.node).toEqual({ name: 'r1', secret: REDACTED, self: '[Circular]' });
  });
});

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checkJobResult, defineJobKind, firstIssueOf } from './jobs.ts';

const countJob = defineJobKind({
  kind: 'test.count',
  params: z.object({}),
  result: z.object({ counted: z.number().int(), device: z.object({ name: z.string() }) }),
  mutates: false,
  defaultTimeoutMs: 1000,
});

describe('firstIssueOf', () => {
  it('names the path of the first issue, or (root) when the whole value is wrong', () => {
    const nested = z.object({ device: z.object({ name: z.string() }) });
    const atName = nested.safeParse({ device: { name: 7 } });
    const atRoot = nested.safeParse('text');

    expect(atName.success || firstIssueOf(atName.error)).toMatch(/^device\.name: .*string/);
    expect(atRoot.success || firstIssueOf(atRoot.error)).toMatch(/^\(root\): .*object/);
  });
});

describe('checkJobResult', () => {
  it('passes a valid result on as parsed (unknown keys stripped)', () => {
    const outcome = checkJobResult(
      countJob,
      { counted: 3, device: { name: 'edge-1' }, extra: true },
      'the result is',
    );

    expect(outcome).toEqual({ ok: true, result: { counted: 3, device: { name: 'edge-1' } } });
  });

  it('turns a result that does not match the schema into invalid_result, saying where', () => {
    const outcome = checkJobResult(
      countJob,
      { counted: 1.5, device: { name: 'edge-1' } },
      "the agent's test.count result is",
    );

    expect(outcome).toMatchObject({ ok: false, error: { code: 'invalid_result' } });
    expect(outcome.ok || outcome.error.message).toMatch(
      /^the agent's test\.count result is not valid at counted: /,
    );
  });
});

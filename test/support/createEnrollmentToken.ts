import { z } from 'zod';

const answerSchema = z.object({ token: z.string().min(1) });

/** A single-use enrollment token from the real admin route, as an admin would get it. */
export async function createEnrollmentToken(
  cloudUrl: string,
  tenant: { slug: string; adminToken: string },
): Promise<string> {
  const url = new URL(`/api/v1/tenants/${tenant.slug}/agents/enrollment-tokens`, cloudUrl);
  const response = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${tenant.adminToken}`, 'content-type': 'application/json' },
    body: '{}',
  });
  const text = await response.text();
  if (response.status !== 201 && response.status !== 200) {
    throw new Error(`POST ${url.pathname} answered ${response.status}: ${text.slice(0, 500)}`);
  }
  return answerSchema.parse(JSON.parse(text)).token;
}

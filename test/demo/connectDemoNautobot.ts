import { z } from 'zod';
import type { LabState } from '../lab/state.ts';
import type { DemoApi } from './DemoApi.ts';
import { DemoError } from './DemoError.ts';

const integrationSchema = z.object({
  id: z.string(),
  name: z.string(),
  baseUrl: z.string(),
  resyncIntervalMinutes: z.number(),
  status: z.object({
    state: z.string(),
    code: z.string().nullable(),
    message: z.string().nullable(),
    nautobotVersion: z.string().nullable(),
    deviceCount: z.number().nullable(),
  }),
});
const integrationAnswer = z.object({ integration: integrationSchema });

export type DemoIntegration = z.output<typeof integrationSchema>;

/**
 * Adds the lab's Nautobot to the tenant through the API, reachable via the agent (with the
 * lab's read-only token), and probes it; anything but green stops the demo with the probe's
 * own code and message.
 */
export async function connectDemoNautobot(
  api: DemoApi,
  lab: LabState,
  agent: { id: string; name: string },
): Promise<DemoIntegration> {
  const { integration } = await api.call('POST', '/integrations', integrationAnswer, {
    name: `lab Nautobot (through ${agent.name})`,
    baseUrl: lab.nautobot.url,
    token: lab.nautobot.tokens.readOnly,
    reachableViaAgentId: agent.id,
  });
  const probed = await api.call('POST', `/integrations/${integration.id}/probe`, integrationAnswer);

  const { status } = probed.integration;
  if (status.state !== 'green') {
    throw new DemoError(
      'probe_red',
      `expected the probe of ${lab.nautobot.url} through agent ${agent.name} to be green, ` +
        `found ${status.state}: ${status.code ?? ''} ${status.message ?? ''}; ` +
        'check the lab with: test/lab/lab status',
    );
  }
  return probed.integration;
}

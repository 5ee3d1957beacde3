import { relative } from 'node:path';
import { labStateFile } from '../lab/paths.ts';
import type { RunningDemo } from './startDemo.ts';

/** Mirror tables in the order a network engineer reads them. */
const tableOrder = ['sites', 'devices', 'interfaces', 'ipAddresses', 'prefixes', 'tags'];

/**
 * What to look at once the demo runs: where everything is, the first sync's counts, API calls
 * to paste (the token is read from its 0600 file, never printed), and what is not built yet.
 */
export function demoGuide(demo: RunningDemo, cwd = process.cwd()): string {
  const here = (path: string) => {
    const rel = relative(cwd, path);
    return rel.startsWith('..') ? path : `./${rel}`;
  };
  const { paths, lab, integration, firstSync } = demo;
  const api = `${demo.cloudUrl}/api/v1/tenants/${demo.tenant.slug}`;
  const counts = [
    ...tableOrder.filter((table) => table in firstSync.counts),
    ...Object.keys(firstSync.counts).filter((table) => !tableOrder.includes(table)),
  ]
    .map((table) => `${table} ${firstSync.counts[table]}`)
    .join(', ');
  const devices = demo.fleet.fleet.devices.map(
    (device) =>
      `    ${device.hostname.padEnd(14)} ${device.platform.padEnd(13)} 127.0.0.1:${device.port}`,
  );
  const frr = demo.fleet.notSimulated.map((device) => device.hostname).join(', ');
  const curl = 'curl -sH "Authorization: Bearer $TOKEN"';

  return [
    'plumbline demo is running.',
    '',
    `  cloud        ${demo.cloudUrl}  (HTTP API; there is no web UI yet)`,
    `  tenant       ${demo.tenant.slug} (${demo.tenant.displayName})`,
    `  admin        ${demo.adminEmail}; password in ${here(paths.adminPasswordFile)},`,
    `               API token in ${here(paths.apiTokenFile)} (both mode 0600)`,
    `  agent        ${demo.agent.name} ${demo.agent.id}, online through the tunnel`,
    ...(demo.agent.healthUrl === undefined
      ? []
      : [`               its health: ${demo.agent.healthUrl}/readyz and /metrics`]),
    `  Nautobot     ${lab.nautobot.url}  (the lab's web UI and API; user ` +
      `${lab.nautobot.adminUsername},`,
    `               password in ${labStateFile})`,
    `  integration  ${integration.name}: ${integration.status.state}, ` +
      `Nautobot ${integration.status.nautobotVersion ?? '?'}, reached through the agent`,
    `  first sync   ${firstSync.state} (${firstSync.mode}) in ${firstSync.durationMs ?? '?'} ms`,
    `  mirror       ${counts}`,
    '               (lookups: names of device types, platforms, roles and the like)',
    `  devices      ${demo.fleet.fleet.devices.length} simulated SSH devices booted from the ` +
      'intended configs in Nautobot;',
    `               logins in ${here(paths.fleetInventoryFile)} (mode 0600)`,
    ...devices,
    `    FRR (${frr}) is not simulated: the lab runs one real FRR router,`,
    `    ssh ${lab.frr.username}@${lab.frr.host} -p ${lab.frr.port} (password in ${labStateFile})`,
    `  logs         ${here(paths.root)}/logs/demo.log (JSON lines, secrets redacted)`,
    '',
    'Try, in a shell in this directory:',
    `  TOKEN=$(cat ${here(paths.apiTokenFile)})`,
    `  API=${api}`,
    `  NB=$API/integrations/${integration.id}`,
    `  ${curl} $NB/devices                 # the mirrored devices`,
    ...(demo.exampleDevice === undefined
      ? []
      : [`  ${curl} $NB/devices/${demo.exampleDevice.id}   # ${demo.exampleDevice.hostname}`]),
    `  ${curl} "$NB/interfaces?limit=10"   # also sites, ip-addresses, prefixes, tags`,
    `  ${curl} $NB/sync-runs               # runs with progress and counts`,
    `  ${curl} -X POST $NB/sync            # sync again (incremental)`,
    `  ${curl} $API/agents                 # state, version, round trip`,
    `  ${curl} $API/audit                  # who changed what`,
    `  curl -s ${demo.cloudUrl}/metrics | grep plumbline_`,
    ...(demo.agent.healthUrl === undefined
      ? []
      : [
          `  curl -s ${demo.agent.healthUrl}/readyz`,
          `  pnpm agent status --health-port ${new URL(demo.agent.healthUrl).port}`,
        ]),
    '',
    "Not built yet (later issues), so the demo does not show them: fetching the devices' live",
    'configs through the agent, drift detection, change proposals and their approval, pushing',
    'to devices, and the web UI. The simulated fleet is there for them and is not used yet.',
    'Nautobot webhooks are not registered: Nautobot refuses loopback targets; the mirror is',
    `synced again every ${integration.resyncIntervalMinutes} minutes, or on POST .../sync.`,
    '',
    `Ctrl-C stops the agent, the cloud and the simulators${demo.startedLab ? ' and the lab' : ''}` +
      `${demo.startedLab ? '' : ' (the lab was already running and stays up)'}; ` +
      `the data stays in ${here(paths.root)} until the next start.`,
  ].join('\n');
}

import { Client, type ClientChannel } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planInventory } from '../../../test/lab/seed/planInventory.ts';
import type { SimPlatform } from './SimDevice.ts';
import { type SimFleet, type SimFleetDevice, startSimFleet } from './startSimFleet.ts';

/**
 * Each vendor over real SSH, as a person at a terminal meets it: a fleet started from the lab's
 * intended configs (plus a banner), a login that greets with the banner, paging of the config,
 * the vendor's error for a bad command, and a config change that shows up afterwards.
 */
const banner = 'Authorised access only';

interface VendorCase {
  platform: SimPlatform;
  /** The intended config with a banner added in the vendor's own syntax. */
  withBanner: (config: string) => string;
  /** The prompt at the end of the output (after a line break, or after erasing the pager's). */
  prompt: (host: string) => RegExp;
  showConfig: string;
  pagerPrompt: string;
  badCommand: string;
  error: string;
  change: string[];
  /** Shows the config without paging, after the change. */
  check: string[];
  changed: string;
}

const cases: VendorCase[] = [
  {
    platform: 'cisco_ios',
    withBanner: (config) => config.replace(/\nend$/, `\nbanner motd ^C${banner}^C\n!\nend`),
    prompt: (host) => new RegExp(`[\\n\\b]${host}(\\([\\w-]+\\))?#$`),
    showConfig: 'show running-config',
    pagerPrompt: ' --More-- ',
    badCommand: 'show runnign-config',
    error: "% Invalid input detected at '^' marker.",
    change: ['configure terminal', 'interface Loopback9', 'description set over ssh', 'end'],
    check: ['terminal length 0', 'show running-config'],
    changed: 'interface Loopback9\r\n description set over ssh\r\n',
  },
  {
    platform: 'cisco_nxos',
    withBanner: (config) => `${config}\nbanner motd #${banner}#`,
    prompt: (host) => new RegExp(`[\\n\\b]${host}(\\([\\w-]+\\))?# $`),
    showConfig: 'show running-config',
    pagerPrompt: '--More--',
    badCommand: 'show runnign-config',
    error: "% Invalid command at '^' marker.",
    change: ['configure terminal', 'interface loopback9', 'description set over ssh', 'end'],
    check: ['terminal length 0', 'show running-config'],
    changed: 'interface loopback9\r\n  description set over ssh\r\n',
  },
  {
    platform: 'arista_eos',
    withBanner: (config) => config.replace(/\nend$/, `\nbanner motd\n${banner}\nEOF\n!\nend`),
    prompt: (host) => new RegExp(`[\\n\\b]${host}(\\([\\w-]+\\))?#$`),
    showConfig: 'show running-config',
    pagerPrompt: ' --More-- ',
    badCommand: 'show runnign-config',
    error: "% Invalid input (at token 1: 'runnign-config')",
    change: ['configure session ssh1', 'interface Loopback9', 'description set over ssh', 'commit'],
    check: ['terminal length 0', 'show running-config'],
    changed: 'interface Loopback9\r\n   description set over ssh\r\n',
  },
  {
    platform: 'juniper_junos',
    withBanner: (config) => `${config}\nset system login message "${banner}"`,
    prompt: (host) => new RegExp(`[\\n\\b]admin@${host}[>#] $`),
    showConfig: 'show configuration | display set',
    pagerPrompt: '---(more)---',
    badCommand: 'shw configuration',
    error: 'unknown command.',
    change: [
      'configure exclusive',
      'set interfaces lo0 description "set over ssh"',
      'commit and-quit',
    ],
    check: ['show configuration | display set | no-more'],
    changed: 'set interfaces lo0 description "set over ssh"\r\n',
  },
  {
    platform: 'nokia_sros',
    withBanner: (config) =>
      config.replace(
        /\n}$/,
        `\n    system {\n        login-control {\n            motd {\n` +
          `                text "${banner}"\n            }\n        }\n    }\n}`,
      ),
    prompt: (host) => new RegExp(`[\\n\\b]A:admin@${host}# $`),
    showConfig: 'admin show configuration',
    pagerPrompt: 'Press Q to quit, Enter to print next line or any other key to print next page.',
    badCommand: 'admin shw configuration',
    error: "MINOR: MGMT_CORE #2201: Unknown element - 'shw'",
    change: [
      'edit-config private',
      '/configure system location "set over ssh"',
      'commit',
      'quit-config',
    ],
    check: ['admin show configuration | no-more'],
    changed: '        location "set over ssh"\r\n',
  },
];

const planned = planInventory(12).devices;
let fleet: SimFleet;

beforeAll(async () => {
  fleet = await startSimFleet({
    devices: cases.map((vendor) => {
      const device = planned.find((d) => d.networkDriver === vendor.platform);
      if (device === undefined) throw new Error(`the lab plans no ${vendor.platform}`);
      return {
        hostname: device.name,
        platform: vendor.platform,
        initialConfig: vendor.withBanner(device.intendedConfig),
      };
    }),
  });
});

afterAll(async () => {
  await fleet.close();
});

/** An interactive shell with a pty, read until a pattern shows at the end of the output. */
async function openTerminal(device: SimFleetDevice) {
  const client = new Client();
  await new Promise<void>((resolve, reject) => {
    client.once('ready', resolve).once('error', reject);
    client.connect({
      host: '127.0.0.1',
      port: device.port,
      username: device.username,
      password: device.password,
    });
  });
  const channel = await new Promise<ClientChannel>((resolve, reject) =>
    client.shell({ term: 'vt100', cols: 200, rows: 50 }, (error, stream) =>
      error ? reject(error) : resolve(stream),
    ),
  );
  let text = '';
  channel.on('data', (data: Buffer) => {
    text += data.toString('latin1');
  });
  const until = async (pattern: RegExp): Promise<string> => {
    while (!pattern.test(text)) await new Promise((resolve) => channel.once('data', resolve));
    const seen = text;
    text = '';
    return seen;
  };
  return {
    until,
    send: (keys: string) => channel.write(keys),
    close: () => client.end(),
  };
}

describe.each(cases)('$platform over SSH', (vendor) => {
  const device = () => {
    const found = fleet.devices.find((d) => d.platform === vendor.platform);
    if (found === undefined) throw new Error(`no ${vendor.platform} in the fleet`);
    return found;
  };

  it('greets with the banner, pages, names a bad command and keeps a change', async () => {
    const sim = device();
    const host = sim.device.hostname;
    const prompt = vendor.prompt(host);
    const terminal = await openTerminal(sim);
    const run = (line: string) => {
      terminal.send(`${line}\r`);
      return terminal.until(prompt);
    };
    try {
      expect(await terminal.until(prompt)).toContain(`${banner}\r\n`);

      terminal.send(`${vendor.showConfig}\r`);
      const firstPage = await terminal.until(new RegExp(`${escapeRegExp(vendor.pagerPrompt)}$`));
      expect(firstPage.split('\r\n').length).toBeLessThan(30);
      terminal.send('q');
      await terminal.until(prompt);

      expect(await run(vendor.badCommand)).toContain(`\r\n${vendor.error}\r\n`);

      for (const line of vendor.change) await run(line);
      let shown = '';
      for (const line of vendor.check) shown = await run(line);
      expect(shown).toContain(vendor.changed);
      expect(shown).not.toContain(vendor.pagerPrompt);
      expect(sim.device.runningConfig().replace(/\n/g, '\r\n')).toContain(vendor.changed);
    } finally {
      terminal.close();
    }
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

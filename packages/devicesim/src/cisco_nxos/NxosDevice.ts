import type { DeviceCli } from '../DeviceCli.ts';
import type { ConfigSession } from '../hierarchical/ConfigSession.ts';
import { ConfigTree } from '../hierarchical/ConfigTree.ts';
import { HierarchicalDevice } from '../hierarchical/HierarchicalDevice.ts';
import type { SimDeviceFactory, SimDeviceOptions } from '../SimDevice.ts';
import { NxosCli } from './NxosCli.ts';
import { nxosDialect, nxosFormat } from './nxosDialect.ts';

/** NX-OS keeps at most ten user checkpoints. */
export const maxCheckpoints = 10;

/**
 * A Nexus switch running NX-OS. Safe push is checkpoint and rollback (`checkpoint NAME`,
 * `rollback running-config checkpoint NAME atomic`); configuration sessions apply a change
 * atomically. NX-OS has no confirm timer, so nothing rolls back on its own.
 */
export class NxosDevice extends HierarchicalDevice {
  readonly platform = 'cisco_nxos';
  readonly dialect = nxosDialect;
  readonly checkpoints = new Map<string, { tree: ConfigTree; createdMs: number; user: string }>();
  readonly sessions = new Map<string, ConfigSession>();
  lastSavedMs: number | undefined;

  constructor(options: SimDeviceOptions) {
    super(options, (text) => ConfigTree.parse(text, nxosFormat));
  }

  protected defaultConfig(hostname: string): string {
    return [
      '',
      'version 10.3(4a) Bios:version 05.47',
      `hostname ${hostname}`,
      'feature bgp',
      '',
      'no ip domain-lookup',
      'ntp server 192.0.2.2 use-vrf management',
      '',
      'vrf context management',
      '  ip route 0.0.0.0/0 192.0.2.1',
      '',
      'interface Ethernet1/1',
      '  description Uplink',
      '  no switchport',
      '  ip address 10.0.0.1/31',
      '  no shutdown',
      '',
      'interface mgmt0',
      '  vrf member management',
      '  ip address 192.0.2.11/24',
      '',
      'interface loopback0',
      '  ip address 10.255.0.2/32',
      'line console',
      'line vty',
    ].join('\n');
  }

  openSession(username: string): DeviceCli {
    return new NxosCli(this, username);
  }
}

export const nxosDeviceFactory: SimDeviceFactory = (options) => new NxosDevice(options);

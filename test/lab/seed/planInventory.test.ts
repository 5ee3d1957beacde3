import { describe, expect, it } from 'vitest';
import type { InventoryPlan, PlannedDevice } from './InventoryPlan.js';
import { maxDeviceCount, planInventory } from './planInventory.js';

/** An address or prefix as a bigint and its family width, to test containment exactly. */
function parseAddress(text: string): { value: bigint; bits: 32 | 128 } {
  if (!text.includes(':')) {
    const value = text.split('.').reduce((sum, octet) => (sum << 8n) + BigInt(Number(octet)), 0n);
    return { value, bits: 32 };
  }
  const [head = '', tail = ''] = text.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === '' ? [] : tail.split(':');
  const zeros = Array(8 - headGroups.length - tailGroups.length).fill('0');
  const groups = text.includes('::') ? [...headGroups, ...zeros, ...tailGroups] : headGroups;
  return { value: groups.reduce((sum, g) => (sum << 16n) + BigInt(`0x${g}`), 0n), bits: 128 };
}

function contains(prefix: string, address: string): boolean {
  const [network = '', length = ''] = prefix.split('/');
  const net = parseAddress(network);
  const host = parseAddress(address.split('/')[0] ?? '');
  if (net.bits !== host.bits) return false;
  const shift = BigInt(net.bits - Number(length));
  return net.value >> shift === host.value >> shift;
}

function allAddresses(plan: InventoryPlan): string[] {
  return plan.devices.flatMap((d) => d.interfaces.flatMap((i) => i.addresses));
}

function duplicates(values: readonly string[]): string[] {
  const seen = new Set<string>();
  return values.filter((value) => seen.has(value) || !seen.add(value));
}

describe('planInventory', () => {
  it('returns deep-equal plans for the same size', () => {
    expect(planInventory(12)).toEqual(planInventory(12));
    expect(planInventory(2000)).toEqual(planInventory(2000));
  });

  it('plans 12 devices by default, covering all six platforms and both regions', () => {
    const plan = planInventory();
    expect(plan.devices).toHaveLength(12);
    expect(new Set(plan.devices.map((d) => d.networkDriver)).size).toBe(6);
    const regions = plan.locations.filter((l) => l.locationType === 'Region');
    expect(regions.map((r) => r.name)).toEqual(['Europe', 'North America']);
    const siteRegions = plan.locations.filter((l) => l.parent !== null).map((l) => l.parent);
    expect(new Set(siteRegions)).toEqual(new Set(['Europe', 'North America']));
  });

  it('refuses sizes it cannot address uniquely', () => {
    expect(() => planInventory(0)).toThrow(RangeError);
    expect(() => planInventory(1.5)).toThrow(RangeError);
    expect(() => planInventory(maxDeviceCount + 1)).toThrow(RangeError);
  });

  it('names exactly one device as the lab FRR router, in its own secrets group', () => {
    const plan = planInventory(12);
    const labDevices = plan.devices.filter((d) => d.secretsGroup === 'Lab FRR');
    expect(labDevices.map((d) => d.name)).toEqual([plan.labFrrDevice]);
    expect(labDevices[0]?.networkDriver).toBe('frr');
  });

  describe.each([12, 2000, 5000])('with %i devices', (size) => {
    const plan = planInventory(size);

    it('keeps names, serials, asset tags and addresses unique', () => {
      expect(duplicates(plan.devices.map((d) => d.name))).toEqual([]);
      expect(duplicates(plan.devices.map((d) => d.serial))).toEqual([]);
      expect(duplicates(plan.devices.map((d) => d.assetTag))).toEqual([]);
      // Nautobot keys an address by its host within a namespace, whatever its mask.
      expect(duplicates(allAddresses(plan).map((a) => a.split('/')[0] ?? ''))).toEqual([]);
      expect(duplicates(plan.prefixes.map((p) => p.prefix))).toEqual([]);
    });

    it('puts every address inside a planned network prefix with its mask', () => {
      // Networks keyed by family, length and network bits, so each address costs a few lookups.
      const networks = new Map<string, Set<bigint>>();
      for (const planned of plan.prefixes.filter((p) => p.type === 'network')) {
        const [network = '', length = ''] = planned.prefix.split('/');
        const { value, bits } = parseAddress(network);
        const key = `${bits}/${length}`;
        const set = networks.get(key) ?? new Set();
        set.add(value >> BigInt(bits - Number(length)));
        networks.set(key, set);
      }
      const orphans = allAddresses(plan).filter((address) => {
        const [host = '', length = ''] = address.split('/');
        const { value, bits } = parseAddress(host);
        return ![...networks].some(([key, set]) => {
          const [family, networkLength] = key.split('/').map(Number);
          if (family !== bits || (networkLength ?? 0) > Number(length)) return false;
          return set.has(value >> BigInt(bits - (networkLength ?? 0)));
        });
      });
      expect(orphans).toEqual([]);
    });

    it('lists every prefix after the parent that contains it', () => {
      const seen = new Set<string>();
      for (const prefix of plan.prefixes) {
        if (prefix.parent !== null) {
          expect(seen.has(prefix.parent)).toBe(true);
          expect(contains(prefix.parent, prefix.prefix)).toBe(true);
        }
        seen.add(prefix.prefix);
      }
    });

    it('picks primary IPs from the device own interfaces', () => {
      for (const device of plan.devices) {
        const own = device.interfaces.flatMap((i) => i.addresses);
        expect(own).toContain(device.primaryIp4);
        expect(own).toContain(device.primaryIp6);
        expect(device.primaryIp6).toContain(':');
      }
    });

    it('counts what it plans', () => {
      const interfaces = plan.devices.flatMap((d) => d.interfaces);
      const choices = plan.customFields.flatMap((f) => f.choices);
      const associations = plan.secretsGroups.flatMap((g) => g.associations);
      expect(plan.counts).toEqual({
        locationTypes: plan.locationTypes.length,
        locations: plan.locations.length,
        manufacturers: plan.manufacturers.length,
        deviceTypes: plan.deviceTypes.length,
        platforms: plan.platforms.length,
        roles: plan.roles.length,
        tags: plan.tags.length,
        customFields: plan.customFields.length,
        customFieldChoices: choices.length,
        secrets: plan.secrets.length,
        secretsGroups: plan.secretsGroups.length,
        secretsGroupAssociations: associations.length,
        devices: size,
        interfaces: interfaces.length,
        prefixes: plan.prefixes.length,
        ipAddresses: allAddresses(plan).length,
        ipAddressAssignments: allAddresses(plan).length,
        goldenConfigs: size,
      });
      expect(plan.counts.interfaces).toBe(size * 4);
      expect(plan.counts.ipAddresses).toBe(size * 5);
    });

    it('refers only to planned objects', () => {
      const names = (items: readonly { name: string }[]) => new Set(items.map((i) => i.name));
      const sites = names(plan.locations);
      const tags = names(plan.tags);
      for (const device of plan.devices) {
        expect(sites.has(device.site)).toBe(true);
        expect(names(plan.platforms).has(device.platform)).toBe(true);
        expect(names(plan.roles).has(device.role)).toBe(true);
        expect(names(plan.secretsGroups).has(device.secretsGroup)).toBe(true);
        expect(device.tags.every((tag) => tags.has(tag))).toBe(true);
      }
      const secrets = names(plan.secrets);
      const associations = plan.secretsGroups.flatMap((g) => g.associations);
      expect(associations.every((a) => secrets.has(a.secret))).toBe(true);
    });
  });
});

describe('intended configurations', () => {
  const plan = planInventory(12);
  const byDriver = (driver: string): PlannedDevice => {
    const device = plan.devices.find((d) => d.networkDriver === driver);
    if (device === undefined) throw new Error(`no ${driver} device in the plan`);
    return device;
  };

  it.each(['cisco_ios', 'cisco_nxos', 'arista_eos', 'juniper_junos', 'nokia_sros', 'frr'])(
    '%s mentions its hostname, every interface and its addresses',
    (driver) => {
      const device = byDriver(driver);
      const config = device.intendedConfig;
      expect(config).toContain(device.name);
      for (const planned of device.interfaces) expect(config).toContain(planned.name);
      // SR OS keeps the management port's address in the BOF, outside `configure`.
      const rendered = device.interfaces.filter(
        (i) => driver !== 'nokia_sros' || i.purpose !== 'management',
      );
      const hosts = rendered.flatMap((i) => i.addresses).map((a) => a.split('/')[0]);
      for (const host of hosts) expect(config.toLowerCase()).toContain(host?.toLowerCase());
      expect(config).toBe(config.trim());
    },
  );

  it('renders IOS as an indented running-config with dotted masks', () => {
    const device = byDriver('cisco_ios');
    expect(device.intendedConfig).toMatch(new RegExp(`^hostname ${device.name}$`, 'm'));
    expect(device.intendedConfig).toMatch(/^interface GigabitEthernet0\/0\n description /m);
    expect(device.intendedConfig).toMatch(/^ ip address 10\.\d+\.0\.\d+ 255\.255\.255\.0$/m);
    expect(device.intendedConfig).toMatch(/^router bgp \d+$/m);
    expect(device.intendedConfig.endsWith('\nend')).toBe(true);
  });

  it('renders NX-OS with features, two-space indents and a management VRF', () => {
    const config = byDriver('cisco_nxos').intendedConfig;
    expect(config).toMatch(/^feature bgp$/m);
    expect(config).toMatch(/^interface mgmt0\n {2}description .+\n {2}vrf member management$/m);
    expect(config).toMatch(/^ {2}ip address 10\.\d+\.1\.\d+\/32$/m);
    expect(config).toMatch(/^ {2}neighbor \S+\n {4}remote-as \d+$/m);
  });

  it('renders EOS with three-space indents and the management API', () => {
    const config = byDriver('arista_eos').intendedConfig;
    expect(config).toMatch(/^interface Management1\n {3}description /m);
    expect(config).toMatch(/^ {3}ip address \S+\/24$/m);
    expect(config).toMatch(/^management api http-commands$/m);
    expect(config.endsWith('\nend')).toBe(true);
  });

  it('renders Junos as display-set lines only', () => {
    const device = byDriver('juniper_junos');
    const lines = device.intendedConfig.split('\n');
    expect(lines.every((line) => line.startsWith('set '))).toBe(true);
    expect(lines).toContain(`set system host-name ${device.name}`);
    expect(lines).toContain('set interfaces fxp0 description "OOB management"');
    expect(lines.some((l) => /^set interfaces lo0 unit 0 family inet6 address /.test(l))).toBe(
      true,
    );
  });

  it('renders SR OS as a balanced MD-CLI configure tree', () => {
    const device = byDriver('nokia_sros');
    const config = device.intendedConfig;
    expect(config.startsWith('# TiMOS-')).toBe(true);
    expect(config).toMatch(/^configure \{$/m);
    expect(config).toContain(`name "${device.name}"`);
    expect(config).toMatch(/^ {8}interface "system" \{$/m);
    expect(config.split('{').length).toBe(config.split('}').length);
    expect(config.endsWith('\n}')).toBe(true);
  });

  it('renders FRR with interface blocks that end in exit', () => {
    const device = byDriver('frr');
    const config = device.intendedConfig;
    expect(config.startsWith('frr version ')).toBe(true);
    expect(config).toMatch(/^frr defaults traditional$/m);
    expect(config).toMatch(/^interface lo\n description .+\n ip address .+\n.+\nexit$/m);
    expect(config).toMatch(/^router bgp \d+\n bgp router-id /m);
    expect(config.endsWith('\nend')).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { pageSchema } from './pageSchema.ts';
import { resourceNames, resources } from './resources.ts';
import { recorded } from './testing/replayFetch.ts';

describe('the resource models', () => {
  it.each(resourceNames)('parse every row %s of the lab Nautobot recorded at depth 0', (name) => {
    const listing = recorded(`list-${name}`);
    const page = pageSchema(resources[name].schema).parse(listing.response.body);

    expect(page.results).toHaveLength(page.count);
    expect(page.count).toBeGreaterThan(0);
  });

  it('type the fields the mirror reads on a device', () => {
    const page = pageSchema(resources.devices.schema).parse(recorded('list-devices').response.body);
    const device = page.results[0];

    expect(device).toMatchObject({
      device_type: { object_type: 'dcim.devicetype' },
      role: { object_type: 'extras.role' },
      location: { object_type: 'dcim.location' },
      platform: { object_type: 'dcim.platform' },
      status: { object_type: 'extras.status' },
      primary_ip4: { object_type: 'ipam.ipaddress' },
    });
    expect(device?.custom_fields).toHaveProperty('bgp_asn');
    expect(device?.tags.every((tag) => tag.object_type === 'extras.tag')).toBe(true);
  });

  it('keep fields they do not type, such as network_driver_mappings beside network_driver', () => {
    const page = pageSchema(resources.platforms.schema).parse(
      recorded('list-platforms').response.body,
    );
    const eos = page.results.find((platform) => platform.network_driver === 'arista_eos');

    expect(eos?.network_driver_mappings.netmiko).toBe('arista_eos');
    expect(eos).toHaveProperty('natural_slug');
  });

  it('refuse a device whose location is missing, naming the field', () => {
    const listing = recorded('list-devices').response.body as { results: object[] };
    const broken = { ...listing.results[0], location: undefined };

    const result = resources.devices.schema.safeParse(broken);

    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['location']);
  });
});

import type {
  Catalog,
  PlannedCustomField,
  PlannedSecret,
  PlannedSecretsGroup,
} from './InventoryPlan.js';
import { platforms } from './platforms.js';

export const regionType = 'Region';
export const siteType = 'Site';

export const seededTag = 'plumbline-seed';
export const driftWatchTag = 'drift-watch';
export const realDeviceTag = 'lab-real-device';

export const labFrrGroup = 'Lab FRR';
export const simulatedGroup = 'Simulated devices';

export const lifecycleStages = ['production', 'staging', 'lab'] as const;

const siteContentTypes = ['dcim.device', 'ipam.prefix'];
const palette = ['2196f3', '3f51b5', '009688', '795548', '9c27b0', 'f44336'];
const defaultColor = '9e9e9e';

export function planCatalog(): Catalog {
  return {
    locationTypes: [
      { name: regionType, parent: null, nestable: false, contentTypes: [] },
      { name: siteType, parent: regionType, nestable: false, contentTypes: siteContentTypes },
    ],
    manufacturers: [...new Set(platforms.map((p) => p.manufacturer))].map((name) => ({ name })),
    deviceTypes: platforms.map((p) => ({ model: p.deviceType, manufacturer: p.manufacturer })),
    platforms: platforms.map((p) => ({
      name: p.name,
      manufacturer: p.manufacturer,
      networkDriver: p.networkDriver,
    })),
    roles: platforms.map((p, index) => ({
      name: p.role,
      color: palette[index % palette.length] ?? defaultColor,
      contentTypes: ['dcim.device'],
    })),
    tags: [
      { name: seededTag, color: '9e9e9e', contentTypes: ['dcim.device', 'ipam.prefix'] },
      { name: driftWatchTag, color: 'ff9800', contentTypes: ['dcim.device'] },
      { name: realDeviceTag, color: '4caf50', contentTypes: ['dcim.device'] },
    ],
    customFields: planCustomFields(),
    secrets: planSecrets(),
    secretsGroups: [
      { name: labFrrGroup, associations: credentialsFrom('lab-frr') },
      { name: simulatedGroup, associations: credentialsFrom('simulated') },
    ],
  };
}

function planCustomFields(): PlannedCustomField[] {
  const onDevices = ['dcim.device'];
  return [
    { key: 'owner_team', label: 'Owner team', type: 'text', contentTypes: onDevices, choices: [] },
    {
      key: 'lifecycle_stage',
      label: 'Lifecycle stage',
      type: 'select',
      contentTypes: onDevices,
      choices: [...lifecycleStages],
    },
    { key: 'bgp_asn', label: 'BGP ASN', type: 'integer', contentTypes: onDevices, choices: [] },
  ];
}

/**
 * The variables are read on the agent's host, never stored in Nautobot. The simulated devices'
 * password is per platform (rendered by Nautobot's Jinja with the device as `obj`), so a
 * simulator needs six variables, not one per device.
 */
function planSecrets(): PlannedSecret[] {
  const provider = 'environment-variable';
  return [
    { name: 'lab-frr-username', provider, variable: 'PLUMBLINE_LAB_FRR_USERNAME' },
    { name: 'lab-frr-password', provider, variable: 'PLUMBLINE_LAB_FRR_PASSWORD' },
    { name: 'simulated-username', provider, variable: 'PLUMBLINE_SIM_USERNAME' },
    {
      name: 'simulated-password',
      provider,
      variable: 'PLUMBLINE_SIM_PASSWORD_{{ obj.platform.network_driver | upper }}',
    },
  ];
}

/** Nornir's Nautobot credentials plugin reads the Generic access type, so the lab uses it. */
function credentialsFrom(prefix: string): PlannedSecretsGroup['associations'] {
  return [
    { secret: `${prefix}-username`, accessType: 'Generic', secretType: 'username' },
    { secret: `${prefix}-password`, accessType: 'Generic', secretType: 'password' },
  ];
}

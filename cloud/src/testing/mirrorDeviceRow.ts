import type { DeviceRow } from '../store/sotRecords.ts';

/** A mirrored device with only its id, hostname and last change set: for tests that need one. */
export function mirrorDeviceRow(id: string, lastUpdatedMs: number, hostname = 'edge-1'): DeviceRow {
  return {
    id,
    lastUpdatedMs,
    hostname,
    vendor: null,
    model: null,
    role: null,
    siteId: null,
    serial: '',
    assetTag: null,
    platform: null,
    networkDriver: null,
    status: null,
    primaryIp4Id: null,
    primaryIp6Id: null,
    tags: [],
    customFields: {},
  };
}

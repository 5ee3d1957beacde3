import type { SimFleet } from './startSimFleet.ts';

/**
 * The devicesim inventory of a running fleet: every device's address, login and host key, as
 * JSON `{ devices: [...] }` ending in a newline. It holds passwords: write it to a 0600 file.
 */
export function fleetInventoryText(fleet: SimFleet): string {
  const devices = fleet.devices.map((device) => ({
    hostname: device.hostname,
    platform: device.platform,
    host: '127.0.0.1',
    port: device.port,
    username: device.username,
    password: device.password,
    hostKeyFingerprint: device.hostKeyFingerprint,
  }));
  return `${JSON.stringify({ devices }, null, 2)}\n`;
}

import { randomBytes } from 'node:crypto';
import type { Logger } from '@plumbline/log';
import type { DeviceFaults } from './DeviceFaults.ts';
import { realClock, type SimClock } from './SimClock.ts';
import type { SimDevice, SimDeviceFactory, SimPlatform } from './SimDevice.ts';
import { SimServer } from './SimServer.ts';
import { simPlatforms } from './simPlatforms.ts';

export interface SimFleetDeviceSpec {
  hostname: string;
  platform: SimPlatform;
  /** 0 or absent: a free port. */
  port?: number;
  /** Default `admin`. */
  username?: string;
  /** Default: a random password per device, reported in the result. */
  password?: string;
  authorizedKeys?: readonly string[];
  initialConfig?: string;
  legacy?: boolean;
  classicCli?: boolean;
  allowForwarding?: boolean;
  /** Faults on from the start; copied, so the spec itself is never changed. */
  faults?: DeviceFaults;
}

export interface SimFleetOptions {
  devices: readonly SimFleetDeviceSpec[];
  /** Default: `simPlatforms`. */
  factories?: Partial<Record<SimPlatform, SimDeviceFactory>>;
  /** Default: real time. */
  clock?: SimClock;
  logger?: Logger;
}

export interface SimFleetDevice {
  hostname: string;
  platform: SimPlatform;
  port: number;
  username: string;
  password: string;
  hostKeyFingerprint: string;
  /** Switch faults here at run time; the server and the engine both read this object. */
  faults: DeviceFaults;
  device: SimDevice;
}

export interface SimFleet {
  devices: SimFleetDevice[];
  close(): Promise<void>;
}

/** Starts one SSH endpoint per spec on 127.0.0.1; on any failure closes what it started. */
export async function startSimFleet(options: SimFleetOptions): Promise<SimFleet> {
  const factories = options.factories ?? simPlatforms;
  const server = new SimServer(options.logger === undefined ? {} : { logger: options.logger });
  // Settled, not all: on a failure every device that did start must be closed again.
  const started = await Promise.allSettled(
    options.devices.map((spec) => startDevice(server, spec, factories, options.clock)),
  );
  const failed = started.find((result) => result.status === 'rejected');
  if (failed !== undefined) {
    await server.close();
    throw failed.reason;
  }
  const devices = started.flatMap((result) =>
    result.status === 'fulfilled' ? [result.value] : [],
  );
  return { devices, close: () => server.close() };
}

async function startDevice(
  server: SimServer,
  spec: SimFleetDeviceSpec,
  factories: Partial<Record<SimPlatform, SimDeviceFactory>>,
  clock: SimClock | undefined,
): Promise<SimFleetDevice> {
  const factory = factories[spec.platform];
  if (factory === undefined) {
    const known = Object.keys(factories).join(', ') || 'none';
    throw new Error(`no simulator for platform ${spec.platform} (have: ${known})`);
  }
  const faults: DeviceFaults = { ...spec.faults };
  const device = factory({
    hostname: spec.hostname,
    clock: clock ?? realClock,
    faults,
    ...(spec.initialConfig === undefined ? {} : { initialConfig: spec.initialConfig }),
    ...(spec.classicCli === undefined ? {} : { classicCli: spec.classicCli }),
  });
  const username = spec.username ?? 'admin';
  const password = spec.password ?? randomBytes(12).toString('base64url');
  const port = spec.port ?? 0;
  const endpoint = await server
    .add({
      device,
      username,
      password,
      faults,
      port,
      ...(spec.authorizedKeys === undefined ? {} : { authorizedKeys: spec.authorizedKeys }),
      ...(spec.legacy === undefined ? {} : { legacy: spec.legacy }),
      ...(spec.allowForwarding === undefined ? {} : { allowForwarding: spec.allowForwarding }),
    })
    .catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`${spec.hostname}: cannot listen on 127.0.0.1 port ${port}: ${reason}`);
    });
  return {
    hostname: spec.hostname,
    platform: spec.platform,
    port: endpoint.port,
    username,
    password,
    hostKeyFingerprint: endpoint.hostKeyFingerprint,
    faults,
    device,
  };
}

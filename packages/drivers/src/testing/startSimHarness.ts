import {
  type DeviceFaults,
  ManualClock,
  type SimDevice,
  type SimDeviceOptions,
  type SimEndpoint,
  SimServer,
} from '@plumbline/devicesim';
import type { CliSession } from '../CliSession.ts';
import type { DeviceDriver } from '../DeviceDriver.ts';
import type { DriverDefinition } from '../DriverDefinition.ts';
import { MemoryHostKeyStore } from '../HostKeyStore.ts';
import { openCliSession } from '../openCliSession.ts';

/**
 * A simulated device behind a real SSH server on 127.0.0.1, and drivers connected to it over
 * SSH. Two manual clocks: the device's (revert and commit-confirmed timers) and the driver's
 * (the confirm deadlines NX-OS and FRR drivers keep themselves), so tests move time without
 * sleeping.
 */
export interface SimHarness<Device extends SimDevice> {
  device: Device;
  endpoint: SimEndpoint;
  /** The device's clock. */
  clock: ManualClock;
  /** The driver's clock: confirm deadlines kept by the driver. */
  driverClock: ManualClock;
  faults: DeviceFaults;
  /** Logins so far, reopened sessions included. */
  readonly logins: number;
  /** Logs in, runs `prepare()` and returns the driver; closed by `close()`. */
  connect(): Promise<DeviceDriver>;
  close(): Promise<void>;
}

export async function startSimHarness<Device extends SimDevice>(
  makeDevice: (options: SimDeviceOptions) => Device,
  definition: DriverDefinition,
  options: { initialConfig?: string; legacy?: boolean; hostname?: string } = {},
): Promise<SimHarness<Device>> {
  const clock = new ManualClock();
  const driverClock = new ManualClock();
  const faults: DeviceFaults = {};
  const device = makeDevice({
    hostname: options.hostname ?? 'sim1',
    clock,
    faults,
    ...(options.initialConfig === undefined ? {} : { initialConfig: options.initialConfig }),
  });
  const server = new SimServer();
  const endpoint = await server.add({
    device,
    username: 'netops',
    password: 'sim-password-1',
    faults,
    ...(options.legacy === undefined ? {} : { legacy: options.legacy }),
  });
  const hostKeyStore = new MemoryHostKeyStore();
  const sessions: CliSession[] = [];
  const open = async () => {
    const session = await openCliSession({
      host: '127.0.0.1',
      port: endpoint.port,
      username: 'netops',
      password: 'sim-password-1',
      hostKeyStore,
      promptPattern: definition.promptPattern,
      commandTimeoutMs: 5_000,
      connectTimeoutMs: 5_000,
      ...(definition.pager === undefined ? {} : { pager: definition.pager }),
      ...(definition.legacyAlgorithms === undefined
        ? {}
        : { legacyAlgorithms: definition.legacyAlgorithms }),
    });
    sessions.push(session);
    return session;
  };
  return {
    device,
    endpoint,
    clock,
    driverClock,
    faults,
    get logins() {
      return sessions.length;
    },
    async connect() {
      const session = await open();
      const driver = definition.create(session, {
        commandTimeoutMs: 5_000,
        timers: driverClock,
        reopenSession: open,
      });
      await driver.prepare();
      return driver;
    },
    async close() {
      await Promise.all(sessions.map((session) => session.close()));
      await server.close();
    },
  };
}

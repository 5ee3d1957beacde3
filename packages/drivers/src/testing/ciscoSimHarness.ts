import {
  type DeviceFaults,
  ManualClock,
  type SimDevice,
  type SimDeviceOptions,
  SimServer,
} from '@plumbline/devicesim';
import type { CliSession } from '../CliSession.ts';
import type { DeviceDriver } from '../DeviceDriver.ts';
import type { DriverDefinition } from '../DriverDefinition.ts';
import { MemoryHostKeyStore } from '../HostKeyStore.ts';
import { openCliSession } from '../openCliSession.ts';

/**
 * A simulated IOS-style device behind a real SSH server on 127.0.0.1, and drivers connected to
 * it over SSH. The device's clock is manual, so that tests move its timers without sleeping.
 */
export interface SimHarness<Device extends SimDevice> {
  device: Device;
  clock: ManualClock;
  faults: DeviceFaults;
  /** Logs in, runs `prepare()` and returns the driver; closed by `close()`. */
  connect(): Promise<DeviceDriver>;
  close(): Promise<void>;
}

export async function startSimHarness<Device extends SimDevice>(
  makeDevice: (options: SimDeviceOptions) => Device,
  definition: DriverDefinition,
  options: {
    initialConfig?: string;
    legacy?: boolean;
    hostname?: string;
    /** Builds the driver instead of `definition.create` (to pass a manual driver clock). */
    makeDriver?: (session: CliSession) => DeviceDriver;
  } = {},
): Promise<SimHarness<Device>> {
  const clock = new ManualClock();
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
  const drivers: DeviceDriver[] = [];
  return {
    device,
    clock,
    faults,
    async connect() {
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
      const driver =
        options.makeDriver?.(session) ?? definition.create(session, { commandTimeoutMs: 5_000 });
      drivers.push(driver);
      await driver.prepare();
      return driver;
    },
    async close() {
      await Promise.all(drivers.map((driver) => driver.session.close()));
      await server.close();
    },
  };
}

import {
  type DeviceFaults,
  ManualClock,
  type SimDevice,
  type SimPlatform,
  SimServer,
  simPlatforms,
} from '@plumbline/devicesim';
import { type ConnectDeviceOptions, connectDevice } from '../connectDevice.ts';
import type { DeviceDriver } from '../DeviceDriver.ts';
import { MemoryHostKeyStore } from '../HostKeyStore.ts';

export interface SimulatedDevice {
  device: SimDevice;
  port: number;
  /** Shared with the device and its server: set a field to inject that fault. */
  faults: DeviceFaults;
  /** Logs in through `connectDevice`, as the agent would, and returns the prepared driver. */
  connect(extra?: Pick<ConnectDeviceOptions, 'maxOutputBytes'>): Promise<DeviceDriver>;
}

export interface StartSimulatedOptions {
  initialConfig?: string;
  /** SR OS only: the classic CLI instead of MD-CLI. */
  classicCli?: boolean;
  /** Old SSH algorithms only; by default IOS has them, as old IOS does, and the others not. */
  legacy?: boolean;
}

/**
 * Simulated devices, each behind a real SSH server on 127.0.0.1, and the drivers connected to them. A test file makes one and calls
 * `closeAll()` after each test.
 */
export class SimulatedDevices {
  private readonly servers: SimServer[] = [];
  private readonly drivers: DeviceDriver[] = [];

  async start(
    platform: SimPlatform,
    options: StartSimulatedOptions = {},
  ): Promise<SimulatedDevice> {
    const makeDevice = simPlatforms[platform];
    if (makeDevice === undefined) throw new Error(`no simulator for ${platform}`);
    const { legacy = platform === 'cisco_ios', ...deviceOptions } = options;
    const faults: DeviceFaults = {};
    const clock = new ManualClock();
    const device = makeDevice({ hostname: 'sim1', clock, faults, ...deviceOptions });
    const server = new SimServer();
    this.servers.push(server);
    const login = { username: 'netops', password: 'pw-1' };
    const endpoint = await server.add({ device, ...login, faults, legacy });

    const connect = async (extra: Pick<ConnectDeviceOptions, 'maxOutputBytes'> = {}) => {
      const driver = await connectDevice({
        platform,
        host: '127.0.0.1',
        port: endpoint.port,
        ...login,
        hostKeyStore: new MemoryHostKeyStore(),
        connectTimeoutMs: 10_000,
        commandTimeoutMs: 10_000,
        ...extra,
      });
      this.drivers.push(driver);
      return driver;
    };
    return { device, port: endpoint.port, faults, connect };
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.drivers.splice(0).map((driver) => driver.session.close()));
    await Promise.all(this.servers.splice(0).map((server) => server.close()));
  }
}

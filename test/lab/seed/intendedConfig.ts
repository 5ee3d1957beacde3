import type { DeviceFacts } from './InventoryPlan.js';
import { type ConfigView, configView } from './intended/configView.js';
import { renderEosConfig } from './intended/renderEosConfig.js';
import { renderFrrConfig } from './intended/renderFrrConfig.js';
import { renderIosConfig } from './intended/renderIosConfig.js';
import { renderJunosConfig } from './intended/renderJunosConfig.js';
import { renderNxosConfig } from './intended/renderNxosConfig.js';
import { renderSrosConfig } from './intended/renderSrosConfig.js';

const renderers: Record<string, (view: ConfigView) => string> = {
  cisco_ios: renderIosConfig,
  cisco_nxos: renderNxosConfig,
  arista_eos: renderEosConfig,
  juniper_junos: renderJunosConfig,
  nokia_sros: renderSrosConfig,
  frr: renderFrrConfig,
};

/**
 * The configuration a device should run, in its own vendor's syntax, rendered only from its
 * planned facts. No trailing newline: Nautobot's API trims text fields, and the lab compares
 * what it stored with a fresh rendering.
 */
export function renderIntendedConfig(device: DeviceFacts): string {
  const render = renderers[device.networkDriver];
  if (render === undefined) {
    throw new Error(`no intended-config renderer for network driver ${device.networkDriver}`);
  }
  return render(configView(device));
}

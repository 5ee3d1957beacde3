import { JunosConfig } from './JunosConfig.ts';
import { renderJunosTokens } from './junosTokens.ts';

/**
 * `show | compare`: statements removed from and added to `running`, grouped under `[edit …]`
 * headers with `-` and `+` lines. Empty when nothing changed. Junos prints added subtrees as
 * nested braces; the simulator prints one line per statement under its parent (known
 * shortcoming: same changes, flatter layout).
 */
export function junosCompare(running: JunosConfig, candidate: JunosConfig): string {
  const groups = new Map<string, string[]>();
  const add = (path: readonly string[], sign: '-' | '+') => {
    const { context, leaf } = JunosConfig.splitForCompare(path);
    const header = context.length === 0 ? '[edit]' : `[edit ${renderJunosTokens(context)}]`;
    const lines = groups.get(header) ?? [];
    lines.push(`${sign}   ${renderJunosTokens(leaf)};`);
    groups.set(header, lines);
  };
  for (const path of running.list()) if (!candidate.has(path)) add(path, '-');
  for (const path of candidate.list()) if (!running.has(path)) add(path, '+');
  return [...groups].flatMap(([header, lines]) => [header, ...sorted(lines)]).join('\n');
}

/** Removals before additions inside one header, as Junos shows a changed value. */
function sorted(lines: string[]): string[] {
  return [...lines.filter((l) => l.startsWith('-')), ...lines.filter((l) => l.startsWith('+'))];
}

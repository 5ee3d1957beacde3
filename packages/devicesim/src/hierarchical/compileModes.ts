import { type CommandSpec, compileSpec } from './CommandGrammar.ts';

/** Compiles a grammar written as `mode → pattern strings` (see CommandGrammar for syntax). */
export function compileModes(
  source: Readonly<Record<string, readonly string[]>>,
): Record<string, CommandSpec[]> {
  const modes: Record<string, CommandSpec[]> = {};
  for (const [mode, patterns] of Object.entries(source)) modes[mode] = patterns.map(compileSpec);
  return modes;
}

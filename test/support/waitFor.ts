/**
 * Resolves once `check()` holds, looking again every `everyMs`; rejects after `withinMs` with
 * what was awaited, so a stuck test says what it waited for instead of hitting the test
 * timeout. For real-network tests, where nothing else tells us that a reconnect happened.
 */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  options: { withinMs?: number; everyMs?: number } = {},
): Promise<void> {
  const withinMs = options.withinMs ?? 20_000;
  const everyMs = options.everyMs ?? 10;
  const deadline = Date.now() + withinMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`waited ${withinMs} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** The part of the fetch API enrollment uses; tests and callers may pass their own. */
export type FetchFunction = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string },
) => Promise<Response>;

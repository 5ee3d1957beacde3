import type { RecordedExchange } from './RecordedExchange.ts';
import type { SentRequest } from './replayFetch.ts';

interface RecordedPage {
  count: number;
  results: Array<{ id: string }>;
}

export interface PagingFetch {
  fetch: typeof globalThis.fetch;
  sent: SentRequest[];
  /** The most requests that were in flight at one moment. */
  peakInFlight: () => number;
  /** Answers the request waiting longest; for tests that hold answers back. */
  releaseNext: () => void;
  waiting: () => number;
}

/**
 * Serves any `limit`/`offset` of a recorded full listing (taken with `limit=0`) by slicing the
 * real rows, capped at `maxPageSize` as Nautobot caps `limit`. The envelope keeps Nautobot's
 * recorded count and headers; `next`/`previous` are left null, since the client never follows
 * them. With `hold`, answers wait for `releaseNext()`, so a test can watch concurrency.
 */
export function pagingFetch(
  listing: RecordedExchange,
  options: { maxPageSize: number; hold?: boolean },
): PagingFetch {
  const page = listing.response.body as RecordedPage;
  const sent: SentRequest[] = [];
  const queue: Array<() => void> = [];
  let inFlight = 0;
  let peak = 0;

  const fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : input);
    const query = Object.fromEntries(url.searchParams);
    sent.push({
      method: init?.method ?? 'GET',
      url,
      path: url.pathname,
      query,
      headers: new Headers(init?.headers),
    });
    inFlight += 1;
    peak = Math.max(peak, inFlight);
    if (options.hold) await new Promise<void>((resolve) => queue.push(resolve));
    inFlight -= 1;

    const asked = Number(query.limit ?? '50');
    const limit = asked === 0 ? options.maxPageSize : Math.min(asked, options.maxPageSize);
    const offset = Number(query.offset ?? '0');
    const results = page.results.slice(offset, offset + limit);
    const body = { count: page.count, next: null, previous: null, results };
    return new Response(JSON.stringify(body), { status: 200, headers: listing.response.headers });
  };

  return {
    fetch: fetch as typeof globalThis.fetch,
    sent,
    peakInFlight: () => peak,
    releaseNext: () => queue.shift()?.(),
    waiting: () => queue.length,
  };
}

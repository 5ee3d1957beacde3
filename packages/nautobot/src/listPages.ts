import type { z } from 'zod';
import { mapBounded } from './mapBounded.ts';
import { NautobotError } from './NautobotError.ts';
import { type Page, pageSchema } from './pageSchema.ts';
import { parseAnswer } from './parseAnswer.ts';

/** Fetches one page: `limit` 0 asks for the server's maximum page size. */
export type FetchPage = (limit: number, offset: number) => Promise<unknown>;

export interface ListPagesOptions<T extends z.ZodType> {
  schema: T;
  fetchPage: FetchPage;
  /** Rows per page; undefined for the server's maximum (MAX_PAGE_SIZE, 1000 by default). */
  pageSize: number | undefined;
  maxParallelPages: number;
  origin: string;
  request: string;
  onPage?: ((fetched: number, total: number) => void) | undefined;
}

/**
 * Reads a whole collection. The first page gives the count and, by how many rows it holds,
 * the page size the server really applies (it silently caps `limit`); the other offsets are
 * then fetched at most `maxParallelPages` at a time and joined in the server's order.
 *
 * Offset paging is not a snapshot: an object created or deleted meanwhile shifts the rows, so
 * one could be read twice or not at all. Every page repeats the count; when a count differs or
 * the rows do not add up to it, the listing fails with `inconsistent_listing` (read it again)
 * rather than hand back a collection with a hole that a mirror would take for a deletion.
 */
export async function listPages<T extends z.ZodType>(
  options: ListPagesOptions<T>,
): Promise<Array<z.output<T>>> {
  const schema = pageSchema(options.schema);
  const readPage = async (limit: number, offset: number): Promise<Page<z.output<T>>> =>
    parseAnswer(schema, await options.fetchPage(limit, offset), options);

  const first = await readPage(options.pageSize ?? 0, 0);
  const total = first.count;
  let fetched = first.results.length;
  options.onPage?.(fetched, total);
  if (fetched >= total) return checked(first.results, total, options);
  if (fetched === 0) throw inconsistent(options, total, 'the first page came back empty');

  const pageSize = fetched;
  const offsets: number[] = [];
  for (let offset = pageSize; offset < total; offset += pageSize) offsets.push(offset);

  const rest = await mapBounded(offsets, options.maxParallelPages, async (offset) => {
    const page = await readPage(pageSize, offset);
    if (page.count !== total) {
      throw inconsistent(options, total, `a later page counted ${page.count}`);
    }
    fetched += page.results.length;
    options.onPage?.(fetched, total);
    return page.results;
  });
  return checked(first.results.concat(...rest), total, options);
}

function checked<R>(rows: R[], total: number, options: ListPagesOptions<z.ZodType>): R[] {
  const ids = new Set(rows.map((row) => (row as { id?: unknown }).id));
  if (rows.length !== total || ids.size !== total) {
    const found = `${rows.length} rows with ${ids.size} distinct ids`;
    throw inconsistent(options, total, `the pages held ${found}`);
  }
  return rows;
}

function inconsistent(
  options: ListPagesOptions<z.ZodType>,
  total: number,
  found: string,
): NautobotError {
  return new NautobotError(
    'inconsistent_listing',
    `Nautobot at ${options.origin} changed ${options.request} while it was read: expected ` +
      `${total} objects, ${found}. Objects were probably created or deleted meanwhile; ` +
      'read it again',
    { request: options.request },
  );
}

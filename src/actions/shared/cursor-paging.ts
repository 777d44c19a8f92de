import type { CursorPage } from '../../chatbase/v2/shared'

export type CursorCollected<T> = { items: T[]; hasMore: boolean; nextCursor?: string }

/** Pages past ⌈limit / page size⌉ that a read follows: search pages may be short, even empty, while more follow. */
const EXTRA_PAGES = 5

/**
 * "One page, or every page up to a Limit", for v2's cursors: reads from `cursor` (the first page without one), then,
 * when a limit is given, the pages after it until at least `limit` items are in hand or none are left. Whole pages
 * are kept, so `nextCursor` continues exactly where this read stopped. At most ⌈limit / pageSize⌉ + EXTRA_PAGES
 * pages are read, so an API that keeps saying "more" cannot keep the read going.
 */
export const collectCursorPages = async <T>(
  cursor: string | undefined,
  limit: number | undefined,
  pageSize: number,
  readPage: (cursor: string | undefined) => Promise<CursorPage<T>>
): Promise<CursorCollected<T>> => {
  const items: T[] = []
  const maxPages = limit === undefined ? 1 : Math.ceil(limit / pageSize) + EXTRA_PAGES
  let next = cursor
  for (let pages = 1; ; pages++) {
    const page = await readPage(next)
    for (const item of page.items) {
      items.push(item)
    }
    // More may exist without a cursor to read them (a capped search): said, not followed.
    if (!page.hasMore || page.nextCursor === undefined) {
      return { items, hasMore: page.hasMore }
    }
    if (limit === undefined || items.length >= limit || pages >= maxPages) {
      return { items, hasMore: true, nextCursor: page.nextCursor }
    }
    next = page.nextCursor
  }
}

export type PageRead<T> = { items: T[]; isLastPage: boolean }
export type Collected<T> = { items: T[]; page: number; hasMore: boolean; nextPage?: number }

/**
 * "One page, or every page up to a limit": reads `firstPage`, then, when a limit is given, the pages after it until
 * at least `limit` items are in hand or the last page was read. Whole pages are kept, so `nextPage` always continues
 * exactly where this read stopped. An empty page ends the read, and at most ⌈limit / pageSize⌉ + 1 pages are read,
 * so an API that keeps saying "more" with short or empty pages cannot keep the read going.
 */
export const collectPages = async <T>(
  firstPage: number,
  limit: number | undefined,
  pageSize: number,
  readPage: (page: number) => Promise<PageRead<T>>
): Promise<Collected<T>> => {
  const items: T[] = []
  const lastPageToRead = firstPage + (limit === undefined ? 0 : Math.ceil(limit / pageSize))
  for (let page = firstPage; ; page += 1) {
    const read = await readPage(page)
    // One at a time: a page may hold more items than a call can take as arguments.
    for (const item of read.items) {
      items.push(item)
    }
    if (read.isLastPage || read.items.length === 0) {
      return { items, page: firstPage, hasMore: false }
    }
    if (limit === undefined || items.length >= limit || page >= lastPageToRead) {
      return { items, page: firstPage, hasMore: true, nextPage: page + 1 }
    }
  }
}

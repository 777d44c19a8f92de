export type PageRead<T> = { items: T[]; isLastPage: boolean }
export type Collected<T> = { items: T[]; page: number; hasMore: boolean; nextPage?: number }

/**
 * "One page, or every page up to a limit": reads `firstPage`, then, when a limit is given, the pages after it until
 * at least `limit` items are in hand or the last page was read. Whole pages are kept, so `nextPage` always continues
 * exactly where this read stopped.
 */
export const collectPages = async <T>(
  firstPage: number,
  limit: number | undefined,
  readPage: (page: number) => Promise<PageRead<T>>
): Promise<Collected<T>> => {
  const items: T[] = []
  let page = firstPage
  for (;;) {
    const read = await readPage(page)
    items.push(...read.items)
    if (read.isLastPage) {
      return { items, page: firstPage, hasMore: false }
    }
    if (limit === undefined || items.length >= limit) {
      return { items, page: firstPage, hasMore: true, nextPage: page + 1 }
    }
    page += 1
  }
}

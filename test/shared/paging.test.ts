import { describe, expect, it } from 'vitest'
import { collectPages } from '../../src/actions/shared/paging'

/** 25 items in pages of 10, recording which pages were read. */
const source = () => {
  const read: number[] = []
  const readPage = async (page: number) => {
    read.push(page)
    const items = Array.from({ length: 25 }, (_, index) => index).slice((page - 1) * 10, page * 10)
    return { items, isLastPage: page * 10 >= 25 }
  }
  return { read, readPage }
}

describe('collectPages', () => {
  it('reads one page without a limit and says where to continue', async () => {
    const { read, readPage } = source()
    expect(await collectPages(1, undefined, 10, readPage)).toEqual({
      items: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      page: 1,
      hasMore: true,
      nextPage: 2,
    })
    expect(read).toEqual([1])
  })

  it('reads whole pages until the limit is reached', async () => {
    const { read, readPage } = source()
    const collected = await collectPages(1, 15, 10, readPage)
    expect(collected.items).toHaveLength(20)
    expect(collected).toMatchObject({ hasMore: true, nextPage: 3 })
    expect(read).toEqual([1, 2])
  })

  it('stops at the last page, however high the limit', async () => {
    const { read, readPage } = source()
    expect(await collectPages(2, 1_000, 10, readPage)).toEqual({
      items: [10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24],
      page: 2,
      hasMore: false,
    })
    expect(read).toEqual([2, 3])
  })

  it('stops at an empty page, even one that does not say it is the last', async () => {
    const read: number[] = []
    const collected = await collectPages(1, 100, 10, async (page) => {
      read.push(page)
      return { items: page === 1 ? [1, 2, 3] : [], isLastPage: false }
    })
    expect(collected).toEqual({ items: [1, 2, 3], page: 1, hasMore: false })
    expect(read).toEqual([1, 2])
  })

  it('reads at most ⌈limit / page size⌉ + 1 pages when pages keep coming back short', async () => {
    const read: number[] = []
    const collected = await collectPages(3, 95, 10, async (page) => {
      read.push(page)
      return { items: [page], isLastPage: false }
    })
    expect(read).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13])
    expect(collected).toMatchObject({ hasMore: true, nextPage: 14 })
  })

  it('collects a page larger than a call can take as arguments', async () => {
    const huge = Array.from({ length: 1_000_000 }, (_, index) => index)
    const collected = await collectPages(1, undefined, huge.length, async () => ({ items: huge, isLastPage: true }))
    expect(collected.items).toHaveLength(1_000_000)
  })
})

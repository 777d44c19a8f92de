import { describe, expect, it } from 'vitest'
import { collectCursorPages } from '../../src/actions/shared/cursor-paging'
import type { CursorPage } from '../../src/chatbase/v2/shared'
import { cursorPage } from '../../src/chatbase/v2/shared'
import { z } from '@botpress/sdk'

/** 25 items in pages of 10 behind opaque cursors, recording which cursors were read. */
const source = () => {
  const read: (string | undefined)[] = []
  const readPage = async (cursor: string | undefined): Promise<CursorPage<number>> => {
    read.push(cursor)
    const start = cursor === undefined ? 0 : Number(cursor.slice(1))
    const items = Array.from({ length: 25 }, (_, index) => index).slice(start, start + 10)
    const more = start + 10 < 25
    return { items, hasMore: more, ...(more && { nextCursor: `c${start + 10}` }) }
  }
  return { read, readPage }
}

describe('collectCursorPages', () => {
  it('reads one page without a limit and gives the cursor to continue', async () => {
    const { read, readPage } = source()
    expect(await collectCursorPages(undefined, undefined, 10, readPage)).toEqual({
      items: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      hasMore: true,
      nextCursor: 'c10',
    })
    expect(read).toEqual([undefined])
  })

  it('reads whole pages from the cursor given until the limit is reached or none are left', async () => {
    const { read, readPage } = source()
    const collected = await collectCursorPages('c10', 100, 10, readPage)
    expect(collected).toEqual({ items: Array.from({ length: 15 }, (_, index) => index + 10), hasMore: false })
    expect(read).toEqual(['c10', 'c20'])
  })

  it('follows short and empty pages while more are said to follow, but not forever', async () => {
    let reads = 0
    const endless = async (): Promise<CursorPage<number>> => ({ items: [], hasMore: true, nextCursor: `c${++reads}` })
    const collected = await collectCursorPages(undefined, 20, 10, endless)
    expect(collected).toMatchObject({ items: [], hasMore: true })
    // ⌈20 / 10⌉ pages, and a few more for short ones.
    expect(reads).toBe(7)
  })

  it('says more matched when a capped answer has no cursor to read them', async () => {
    const capped = async (): Promise<CursorPage<number>> => ({ items: [1, 2], hasMore: true })
    expect(await collectCursorPages(undefined, 50, 20, capped)).toEqual({ items: [1, 2], hasMore: true })
  })
})

describe('cursorPage', () => {
  const page = cursorPage(z.object({ id: z.string() }))

  it.each([
    [
      'the documented pagination',
      { data: [{ id: 'a' }], pagination: { cursor: 'x', hasMore: true, total: 9 } },
      { items: [{ id: 'a' }], hasMore: true, nextCursor: 'x', total: 9 },
    ],
    [
      'a last page with a null cursor',
      { data: [{ id: 'a' }], pagination: { cursor: null, hasMore: false } },
      { items: [{ id: 'a' }], hasMore: false },
    ],
    ['a bare array', [{ id: 'a' }], { items: [{ id: 'a' }], hasMore: false }],
    ['no pagination', { data: [] }, { items: [], hasMore: false }],
    [
      'a cursor without hasMore',
      { data: [], pagination: { cursor: 'y' } },
      { items: [], hasMore: true, nextCursor: 'y' },
    ],
  ])('reads %s', (_, body, expected) => {
    expect(page.parse(body)).toEqual(expected)
  })

  it('fails when the list itself is missing', () => {
    expect(page.safeParse({ pagination: { hasMore: false } }).success).toBe(false)
  })
})

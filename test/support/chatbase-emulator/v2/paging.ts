// Cursor pagination (§5): opaque base64 cursors, here carrying the offset of the next page and the query they belong
// to, so that a cursor reused with other parameters is caught.
import { invalidBody, V2Error } from './core'

export type Pagination = { cursor: string | null; hasMore: boolean; total: number }

export function encodeCursor(offset: number, query: string): string {
  return Buffer.from(JSON.stringify({ offset, query })).toString('base64')
}

// The offset a cursor points at; `mismatch` is what Chatbase answers when the cursor was issued for another query
export function cursorOffset(cursor: string | undefined, query: string, mismatch?: V2Error): number {
  if (cursor === undefined) return 0
  let decoded: { offset?: unknown; query?: unknown }
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8'))
  } catch {
    throw invalidBody({ cursor: 'Invalid cursor' })
  }
  if (typeof decoded.offset !== 'number' || typeof decoded.query !== 'string') {
    throw invalidBody({ cursor: 'Invalid cursor' })
  }
  if (decoded.query !== query) throw mismatch ?? invalidBody({ cursor: 'Invalid cursor' })
  return decoded.offset
}

// One page of `items` for a list whose query is `query` (every parameter but cursor and limit)
export function page<T>(
  items: T[],
  params: Record<string, string>,
  defaultLimit: number,
  query = ''
): { data: T[]; pagination: Pagination } {
  const limit = params.limit === undefined ? defaultLimit : Number(params.limit)
  const offset = cursorOffset(params.cursor, query)
  const data = items.slice(offset, offset + limit)
  const hasMore = offset + limit < items.length
  return {
    data,
    pagination: { cursor: hasMore ? encodeCursor(offset + limit, query) : null, hasMore, total: items.length },
  }
}

// The parameters of a list that a cursor is bound to: all but cursor and limit, in a stable order
export function queryKey(params: Record<string, string>): string {
  const kept = Object.entries(params).filter(([name]) => name !== 'cursor' && name !== 'limit')
  return JSON.stringify(kept.sort(([a], [b]) => a.localeCompare(b)))
}

import { z } from '@botpress/sdk'
import { isRecord } from '../../json'

/*
 * What every area of API v2 shares: its paths under an AI agent, and the tolerant reading of its answers. v2 wraps
 * answers differently per endpoint (`{ data }`, bare objects, bare arrays, `{ data, pagination }`), and Chatbase's
 * sources disagree on some: every wrapper is accepted wherever one is documented or seen.
 */

/** A path under one AI agent; every segment is encoded, so an id cannot name another endpoint. */
export const agentPath = (agentId: string, ...segments: (string | number)[]): string =>
  ['/agents', agentId, ...segments]
    .map((segment, index) => (index === 0 ? segment : encodeURIComponent(segment)))
    .join('/')

export const agentTarget = (agentId: string): string => `AI agent "${agentId}"`

/** An object Chatbase sends bare or wrapped in `{ data }` (e.g. a file source: bare in the spec, `data` in its CLI). */
export const bareOrData = <S extends z.ZodTypeAny>(schema: S) =>
  z
    .unknown()
    .transform((body) => (isRecord(body) && isRecord(body.data) ? body.data : body))
    .pipe(schema)

/** One page of a cursor-paginated list, whatever pagination fields came with it. */
export type CursorPage<T> = { items: T[]; nextCursor?: string; hasMore: boolean; total?: number }

const paginationWire = z
  .object({
    cursor: z.string().nullish(),
    nextCursor: z.string().nullish(),
    hasMore: z.boolean().nullish(),
    total: z.number().nullish(),
  })
  .partial()
  .nullish()

/**
 * A page of `{ data: [...], pagination: { cursor, hasMore, total } }`, or a bare array (ticket statuses, teams). With
 * no `hasMore`, a cursor means more; with neither, the page is the last one. Unknown enum values are the items'
 * schemas' concern: they read them as text.
 */
export const cursorPage = <S extends z.ZodTypeAny>(item: S) =>
  z
    .unknown()
    .transform((body) => (Array.isArray(body) ? { data: body } : body))
    .pipe(z.object({ data: z.array(item), pagination: paginationWire }))
    .transform(({ data, pagination }): CursorPage<z.output<S>> => {
      const cursor = pagination?.cursor ?? pagination?.nextCursor ?? undefined
      // A capped result (ticket search) says more matched without a cursor to read them.
      const hasMore = pagination?.hasMore ?? cursor !== undefined
      return {
        items: data,
        ...(hasMore && cursor !== undefined && { nextCursor: cursor }),
        hasMore,
        ...(typeof pagination?.total === 'number' && { total: pagination.total }),
      }
    })

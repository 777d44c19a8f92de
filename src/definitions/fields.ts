import { z } from '@botpress/sdk'

/* Fields several actions share, defined once. */

/** Ids that go into a request's URL path: "." or ".." or a slash would make it name another endpoint. */
const PATH_SAFE_ID = /^(?!\.{1,2}$)[^/\\]*$/

/** An id a request's URL path is built with (contact id, chatbot id, attribute name); add a title and description. */
export const pathSafeId = () =>
  z
    .string()
    .min(1)
    .regex(PATH_SAFE_ID, 'must not be "." or ".." nor contain "/" or "\\": it goes into the request\'s URL path')

export const chatbotIdOverride = pathSafeId()
  .optional()
  .title('Agent ID')
  .describe('AI agent to use instead of the one in the configuration, for workspaces with several AI agents.')

/** Chatbase's temperature, the same range wherever it is set. */
export const temperature = (description: string) =>
  z.number().min(0).max(1).optional().title('Temperature').describe(description)

/** A calendar day as Chatbase writes it in queries. */
export const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/

export const isoDate = (title: string, description: string) =>
  z
    .string()
    .regex(DAY_PATTERN, 'must be a date written YYYY-MM-DD, e.g. 2025-01-31')
    .optional()
    .title(title)
    .describe(description)
    .placeholder('2025-01-31')

export const MAX_ITEMS_LIMIT = 10_000

const FIRST_PAGE = 1

export const pageNumber = z
  .number()
  .int()
  .min(FIRST_PAGE)
  .default(FIRST_PAGE)
  .title('Page')
  .describe(`Page to read, from ${FIRST_PAGE}. Default ${FIRST_PAGE}.`)

/** "Read up to a Limit", from the Page (v1's numbered pages) or the Cursor (v2's) the card starts at. */
export const itemsLimit = (items: string, from: 'Page' | 'Cursor' = 'Page') =>
  z
    .number()
    .int()
    .min(1)
    .max(MAX_ITEMS_LIMIT)
    .optional()
    .title('Limit')
    .describe(
      `Read page after page, from ${from} on, until at least this many ${items} are collected (whole pages) or none are left; at most ${MAX_ITEMS_LIMIT}. Without it, one page is read.`
    )

export const pagingOutput = {
  page: z.number().title('Page').describe('The first page that was read.'),
  hasMore: z.boolean().title('Has More').describe('True when more items may follow the ones returned.'),
  nextPage: z
    .number()
    .optional()
    .title('Next Page')
    .describe('The page to read next to continue, when Has More is true.'),
}

export const cursorInput = z
  .string()
  .min(1)
  .optional()
  .title('Cursor')
  .describe('Where to continue: the Next Cursor of an earlier read. Leave empty for the first page.')

export const cursorOutput = {
  hasMore: z.boolean().title('Has More').describe('True when more items may follow the ones returned.'),
  nextCursor: z
    .string()
    .optional()
    .title('Next Cursor')
    .describe('Pass it as Cursor to read on, when Has More is true.'),
}

import { z } from '@botpress/sdk'
import { PATH_SAFE_ID, PATH_SAFE_ID_PROBLEM } from './constants'

/* Fields several actions share, defined once. */

/** An id the request's URL path is built with (contact id, chatbot id, attribute name); give it a title and description. */
export const pathSafeId = () => z.string().min(1).regex(PATH_SAFE_ID, PATH_SAFE_ID_PROBLEM)

export const chatbotIdOverride = pathSafeId()
  .optional()
  .title('Chatbot ID')
  .describe('Chatbot to use instead of the one in the configuration, for accounts with several chatbots.')

export const isoDate = (title: string, description: string) =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD, e.g. 2025-01-31')
    .optional()
    .title(title)
    .describe(description)
    .placeholder('2025-01-31')

export const MAX_ITEMS_LIMIT = 10_000

export const pageNumber = z.number().int().min(1).optional().title('Page').describe('Page to read, from 1. Default 1.')

export const itemsLimit = (items: string) =>
  z
    .number()
    .int()
    .min(1)
    .max(MAX_ITEMS_LIMIT)
    .optional()
    .title('Limit')
    .describe(
      `Read page after page, from Page on, until at least this many ${items} are collected (whole pages) or none are left; at most ${MAX_ITEMS_LIMIT}. Without it, one page is read.`
    )

export const pagingOutput = {
  page: z.number().title('Page').describe('The first page that was read.'),
  hasMore: z.boolean().title('Has More').describe('True when more items may follow the ones returned.'),
  nextPage: z.number().optional().title('Next Page').describe('The page to read next to continue, when Has More is true.'),
}

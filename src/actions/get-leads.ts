import { fromChatbaseLead } from '../chatbase/mapping'
import { DEFAULT_PAGE_SIZE, leadActions } from '../definitions/leads'
import { chatbaseClient, chatbotIdOf, type ActionHandler } from './common'
import { checkDateRange } from './dates'
import { parseInput } from './input'
import { collectPages } from './paging'

export const getLeads: ActionHandler<'getLeads'> = async ({ ctx, input }) => {
  const { startDate, endDate, page = 1, size = DEFAULT_PAGE_SIZE, limit, chatbotId } = parseInput(leadActions.getLeads, input)
  checkDateRange(leadActions.getLeads, { startDate, endDate })
  const client = chatbaseClient(ctx.configuration)
  const botId = chatbotIdOf(ctx.configuration, { chatbotId })
  // The API gives no total: a page that is not full is the last one.
  const read = await collectPages(page, limit, size, async (pageNumber) => {
    const leads = await client.getLeads({ chatbotId: botId, startDate, endDate, page: pageNumber, size })
    return { items: leads, isLastPage: leads.length < size }
  })
  return { leads: read.items.map((lead) => fromChatbaseLead(lead, botId)), size, page: read.page, hasMore: read.hasMore, nextPage: read.nextPage }
}

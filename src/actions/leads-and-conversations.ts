import { fromChatbaseConversation, fromChatbaseLead } from '../chatbase/mapping'
import { leadAndConversationActions } from '../definitions/actions/leads-and-conversations'
import { chatbaseClient, chatbotIdOf } from './shared/context'
import { implement } from './shared/implement'
import { refuseProblems } from './shared/input'
import { collectPages } from './shared/paging'

/** The schema checks the YYYY-MM-DD shape; this rejects days that do not exist, such as 2025-02-30. */
const isCalendarDay = (day: string): boolean => {
  const date = new Date(`${day}T00:00:00Z`)
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(day)
}

const dateRangeProblems = ({ startDate, endDate }: { startDate?: string; endDate?: string }): string[] => [
  ...(startDate && !isCalendarDay(startDate) ? [`startDate: ${startDate} is not a day of the calendar`] : []),
  ...(endDate && !isCalendarDay(endDate) ? [`endDate: ${endDate} is not a day of the calendar`] : []),
  ...(startDate && endDate && startDate > endDate ? [`endDate: must not be before startDate (${startDate})`] : []),
]

export default implement(leadAndConversationActions)({
  getLeads: async ({ input: { startDate, endDate, page, size, limit, chatbotId }, configuration }) => {
    refuseProblems(leadAndConversationActions.getLeads, dateRangeProblems({ startDate, endDate }))
    const client = chatbaseClient(configuration)
    const targetChatbotId = chatbotIdOf(configuration, { chatbotId })
    // The API gives no total: a page that is not full is the last one.
    const read = await collectPages(page, limit, size, async (pageNumber) => {
      const leads = await client.getLeads({ chatbotId: targetChatbotId, startDate, endDate, page: pageNumber, size })
      return { items: leads, isLastPage: leads.length < size }
    })
    const leads = read.items.map((lead) => fromChatbaseLead(lead, targetChatbotId))
    return { leads, size, page: read.page, hasMore: read.hasMore, nextPage: read.nextPage }
  },

  getConversations: async ({
    input: { filteredSources, startDate, endDate, page, size, limit, chatbotId },
    configuration,
  }) => {
    refuseProblems(leadAndConversationActions.getConversations, dateRangeProblems({ startDate, endDate }))
    const client = chatbaseClient(configuration)
    const targetChatbotId = chatbotIdOf(configuration, { chatbotId })
    const read = await collectPages(page, limit, size, async (pageNumber) => {
      const conversations = await client.getConversations({
        chatbotId: targetChatbotId,
        // Chatbase takes the sources as one comma-separated string; an empty list filters nothing, so none is sent.
        filteredSources: filteredSources?.length ? filteredSources.join(',') : undefined,
        startDate,
        endDate,
        page: pageNumber,
        size,
      })
      return { items: conversations, isLastPage: conversations.length < size }
    })
    const conversations = read.items.map((conversation) => fromChatbaseConversation(conversation, targetChatbotId))
    return { conversations, size, page: read.page, hasMore: read.hasMore, nextPage: read.nextPage }
  },
})

import { fromChatbaseConversation } from '../chatbase/mapping'
import { DEFAULT_PAGE_SIZE, leadActions } from '../definitions/leads'
import { chatbaseClient, chatbotIdOf, type ActionHandler } from './common'
import { checkDateRange } from './dates'
import { parseInput } from './input'
import { collectPages } from './paging'

export const getConversations: ActionHandler<'getConversations'> = async ({ ctx, input }) => {
  const { filteredSources, startDate, endDate, page = 1, size = DEFAULT_PAGE_SIZE, limit, chatbotId } = parseInput(leadActions.getConversations, input)
  checkDateRange(leadActions.getConversations, { startDate, endDate })
  const client = chatbaseClient(ctx.configuration)
  const botId = chatbotIdOf(ctx.configuration, { chatbotId })
  const read = await collectPages(page, limit, size, async (pageNumber) => {
    const conversations = await client.getConversations({
      chatbotId: botId,
      // Chatbase takes the sources as one comma-separated string; an empty list filters nothing, so none is sent.
      filteredSources: filteredSources?.length ? filteredSources.join(',') : undefined,
      startDate,
      endDate,
      page: pageNumber,
      size,
    })
    return { items: conversations, isLastPage: conversations.length < size }
  })
  return {
    conversations: read.items.map((conversation) => fromChatbaseConversation(conversation, botId)),
    size,
    page: read.page,
    hasMore: read.hasMore,
    nextPage: read.nextPage,
  }
}

import type { z } from '@botpress/sdk'
import { onApi } from '../chatbase/api-choice'
import { fromChatbaseConversation, fromChatbaseLead } from '../chatbase/v1/mapping'
import { ConversationsApi, fromExportedConversation, fromFoundConversation } from '../chatbase/v2/conversations'
import { EXPORT_PAGE_SIZE, SEARCH_PAGE_SIZE } from '../definitions/constants'
import { leadAndConversationActions } from '../definitions/actions/leads-and-conversations'
import { actionDeadline, chatbaseClient, chatbaseTransport, chatbotIdOf } from './shared/context'
import { collectCursorPages } from './shared/cursor-paging'
import { DAY_PATTERN } from '../definitions/fields'
import { implement } from './shared/implement'
import { onV2Only } from './shared/on-v2'
import { commaList, refuseProblems } from './shared/input'
import { v2OnlyProblems } from './shared/v2-only'
import { collectPages } from './shared/paging'

const { getConversations, searchConversations } = leadAndConversationActions

type ConversationsRead = z.output<typeof getConversations.output.schema>

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

/** Days or date-times (search takes both): each must exist. */
const momentProblems = (moments: Record<string, string | undefined>): string[] =>
  Object.entries(moments).flatMap(([field, value]) =>
    value === undefined || (DAY_PATTERN.test(value) ? isCalendarDay(value) : !Number.isNaN(Date.parse(value)))
      ? []
      : [`${field}: ${value} is not a day or time of the calendar`]
  )

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

  getConversations: async ({ input, configuration, logger }) => {
    const { filteredSources, startDate, endDate, conversationId, include, cursor, page, size, limit, chatbotId } = input
    refuseProblems(getConversations, dateRangeProblems({ startDate, endDate }))
    const agentId = chatbotIdOf(configuration, { chatbotId })
    const deadline = actionDeadline(configuration)
    const source = commaList(filteredSources)

    const onV2 = async (): Promise<ConversationsRead> => {
      refuseProblems(
        getConversations,
        page === 1
          ? []
          : ['page: Chatbase API v2 continues with Cursor (the Next Cursor of the earlier read), not Page']
      )
      const pageSize = Math.min(size, EXPORT_PAGE_SIZE)
      const api = new ConversationsApi(chatbaseTransport(configuration, deadline))
      let total: number | undefined
      const read = await collectCursorPages(cursor, limit, pageSize, async (at) => {
        const answer = await api.exportPage(agentId, {
          cursor: at,
          limit: pageSize,
          startDate,
          endDate,
          conversationId,
          include,
          source,
        })
        total = answer.total
        return answer
      })
      return {
        conversations: read.items.map((conversation) => fromExportedConversation(conversation, agentId)),
        size: pageSize,
        hasMore: read.hasMore,
        nextCursor: read.nextCursor,
        total,
      }
    }

    const onV1 = async (): Promise<ConversationsRead> => {
      refuseProblems(getConversations, v2OnlyProblems({ cursor, conversationId }))
      const client = chatbaseClient(configuration, deadline)
      const read = await collectPages(page, limit, size, async (pageNumber) => {
        const conversations = await client.getConversations({
          chatbotId: agentId,
          filteredSources: source,
          startDate,
          endDate,
          page: pageNumber,
          size,
        })
        return { items: conversations, isLastPage: conversations.length < size }
      })
      const conversations = read.items.map((conversation) => {
        const read = fromChatbaseConversation(conversation, agentId)
        return include === 'summary' ? { ...read, messages: [] } : read
      })
      return { conversations, size, page: read.page, hasMore: read.hasMore, nextPage: read.nextPage }
    }

    return onApi(
      configuration,
      { name: 'getConversations', title: getConversations.title },
      { v2: onV2, v1: onV1 },
      logger
    )
  },

  searchConversations: async (props) => {
    const { input } = props
    const { cursor, limit, escalated, hasVoice, startDate, endDate, updatedAfter, updatedBefore } = input
    refuseProblems(searchConversations, momentProblems({ startDate, endDate, updatedAfter, updatedBefore }))
    const filters = {
      query: input.query,
      source: commaList(input.source),
      sentiment: commaList(input.sentiment),
      topic: commaList(input.topic),
      userId: commaList(input.userId),
      activityState: commaList(input.activityState),
      feedback: commaList(input.feedback),
      // Chatbase knows only "true": false is no filter.
      escalated: escalated ? 'true' : undefined,
      actionType: commaList(input.actionType),
      tool: commaList(input.tool),
      toolOutcome: commaList(input.toolOutcome),
      procedure: commaList(input.procedure),
      procedureOutcome: commaList(input.procedureOutcome),
      hasVoice: hasVoice === undefined ? undefined : String(hasVoice),
      startDate,
      endDate,
      updatedAfter,
      updatedBefore,
    }
    return onV2Only(
      { name: 'searchConversations', title: searchConversations.title },
      props,
      async ({ transport, agentId }) => {
        const api = new ConversationsApi(transport)
        // Always the largest page: a cursor stays valid whatever the limit, and fewer requests are sent.
        const read = await collectCursorPages(cursor, limit, SEARCH_PAGE_SIZE, (at) =>
          api.searchPage(agentId, { ...filters, cursor: at, limit: SEARCH_PAGE_SIZE })
        )
        return {
          conversations: read.items.map(fromFoundConversation),
          hasMore: read.hasMore,
          nextCursor: read.nextCursor,
        }
      }
    )
  },
})

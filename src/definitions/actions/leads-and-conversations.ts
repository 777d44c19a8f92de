import { z } from '@botpress/sdk'
import { chatbotIdOverride, isoDate, itemsLimit, pageNumber, pagingOutput } from '../fields'

const DEFAULT_PAGE_SIZE = 10
/** The docs cap get-conversations' page size; get-leads' they leave open, so it is not capped here either. */
const MAX_CONVERSATIONS_PAGE_SIZE = 100

const pageSize = (items: string, max?: number) =>
  (max === undefined ? z.number().int().min(1) : z.number().int().min(1).max(max))
    .default(DEFAULT_PAGE_SIZE)
    .title('Page Size')
    .describe(`${items} per page, from 1${max === undefined ? '' : ` to ${max}`}. Default ${DEFAULT_PAGE_SIZE}.`)

const dateRange = {
  startDate: isoDate('Start Date', 'Only from this day on (YYYY-MM-DD, a day of the calendar).'),
  endDate: isoDate(
    'End Date',
    'Only up to this day, included (YYYY-MM-DD, a day of the calendar, not before Start Date).'
  ),
}

export const leadSchema = z.object({
  id: z.string().title('Lead ID').describe('Chatbase id of the lead.'),
  name: z.string().optional().title('Name').describe('Name the visitor gave.'),
  email: z.string().optional().title('Email').describe('Email the visitor gave.'),
  phone: z.string().optional().title('Phone').describe('Phone number the visitor gave.'),
  chatbotId: z.string().title('Chatbot ID').describe('Chatbot that collected the lead.'),
  createdAt: z.string().optional().title('Created At').describe('When the lead was submitted, as Chatbase reports it.'),
})

export const CONVERSATION_SOURCES = [
  'API',
  'Chatbase site',
  'Instagram',
  'Messenger',
  'Slack',
  'Unspecified',
  'WhatsApp',
  'Widget or Iframe',
] as const

// Any role: the docs type it as a string, and a conversation may hold more than the user's and the chatbot's messages.
const conversationMessageSchema = z.object({
  role: z.string().title('Role').describe('Who wrote the message: user, assistant, or another role Chatbase reports.'),
  content: z.string().title('Content').describe('Text of the message.'),
})

export const conversationSchema = z.object({
  id: z.string().title('Conversation ID').describe('Chatbase id of the conversation.'),
  createdAt: z
    .string()
    .optional()
    .title('Created At')
    .describe('When the conversation started, as Chatbase reports it.'),
  messages: z
    .array(conversationMessageSchema)
    .title('Messages')
    .describe('The messages of the conversation, oldest first.'),
  chatbotId: z.string().title('Chatbot ID').describe('Chatbot of the conversation.'),
  customer: z
    .string()
    .optional()
    .title('Customer')
    .describe('Who the chatbot talked with, as Chatbase identifies them.'),
  source: z
    .string()
    .optional()
    .title('Source')
    .describe('Where the conversation happened, e.g. API or Widget or Iframe.'),
})

// Chatbase gives no total for leads and conversations: a full page is all that says more may follow.
const pagedOutput = {
  size: z.number().title('Page Size').describe('The page size used.'),
  ...pagingOutput,
  hasMore: z
    .boolean()
    .title('Has More')
    .describe(
      'True when the last page read was full, so more may follow (Chatbase gives no total): when the count is a multiple of the page size, the next page comes back empty.'
    ),
}

export const leadAndConversationActions = {
  getLeads: {
    title: 'Get Leads',
    description:
      'List the leads (name, email, phone) that visitors submitted to the chatbot: one page, or every page up to a limit.',
    input: {
      schema: z.object({
        ...dateRange,
        page: pageNumber,
        size: pageSize('Leads'),
        limit: itemsLimit('leads'),
        chatbotId: chatbotIdOverride,
      }),
    },
    output: {
      schema: z.object({ leads: z.array(leadSchema).title('Leads').describe('The leads read.'), ...pagedOutput }),
    },
  },
  getConversations: {
    title: 'Get Conversations',
    description:
      "Read the chatbot's conversations, filtered by source and date: one page, or every page up to a limit.",
    input: {
      schema: z.object({
        filteredSources: z
          .array(z.enum(CONVERSATION_SOURCES))
          .optional()
          .title('Sources')
          .describe(`Only conversations from these sources: ${CONVERSATION_SOURCES.join(', ')}. Default: all.`),
        ...dateRange,
        page: pageNumber,
        size: pageSize('Conversations', MAX_CONVERSATIONS_PAGE_SIZE),
        limit: itemsLimit('conversations'),
        chatbotId: chatbotIdOverride,
      }),
    },
    output: {
      schema: z.object({
        conversations: z.array(conversationSchema).title('Conversations').describe('The conversations read.'),
        ...pagedOutput,
      }),
    },
  },
} as const

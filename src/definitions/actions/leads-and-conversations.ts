import { z } from '@botpress/sdk'
import { EXPORT_PAGE_SIZE } from '../constants'
import {
  chatbotIdOverride,
  cursorInput,
  itemsLimit,
  cursorOutput,
  isoDate,
  pageNumber,
  pagingOutput,
  pathSafeId,
} from '../fields'

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

/** The channels Chatbase names a conversation's source after (API v2's list holds v1's). */
export const CONVERSATION_SOURCES = [
  'API',
  'WhatsApp',
  'Messenger',
  'Instagram',
  'Slack',
  'Salesforce',
  'Zendesk',
  'Zendesk Messaging',
  'Chatbase site',
  'Playground',
  'Action preview',
  'Qna preview',
  'Widget or Iframe',
  'Center stage',
  'Search',
  'Iframe',
  'Email',
  'Agent page',
  'Phone',
  'Android SDK',
  'iOS SDK',
  'Unspecified',
] as const

const sourcesFilter = z
  .array(z.enum(CONVERSATION_SOURCES))
  .optional()
  .title('Sources')
  .describe(`Only conversations from these sources: ${CONVERSATION_SOURCES.join(', ')}. Default: all.`)

// Any role: the docs type it as a string, and a conversation may hold more than the user's and the chatbot's messages.
const conversationMessageSchema = z.object({
  role: z.string().title('Role').describe('Who wrote the message: user, assistant, or another role Chatbase reports.'),
  content: z.string().title('Content').describe('Text of the message (on API v2, its text parts joined by new lines).'),
  id: z.string().optional().title('Message ID').describe('Chatbase id of the message (API v2).'),
  createdAt: z.string().optional().title('Created At').describe('When the message was sent, ISO 8601 (API v2).'),
  feedback: z
    .string()
    .optional()
    .title('Feedback')
    .describe("The visitor's rating of an answer: positive or negative (API v2)."),
})

/** What API v2 tells of a conversation besides its id, start and source (export and search alike). */
const conversationV2Fields = {
  updatedAt: z.string().optional().title('Updated At').describe('Last activity, ISO 8601 (API v2).'),
  status: z
    .string()
    .optional()
    .title('Status')
    .describe('ongoing, ended, taken_over (by a human) or paused, or another state Chatbase reports (API v2).'),
  userId: z.string().optional().title('User ID').describe('The user ID the conversation was started with (API v2).'),
  title: z.string().optional().title('Title').describe('Title Chatbase gave the conversation (API v2).'),
}

export const conversationSchema = z.object({
  id: z.string().title('Conversation ID').describe('Chatbase id of the conversation.'),
  createdAt: z
    .string()
    .optional()
    .title('Created At')
    .describe('When the conversation started: ISO 8601 on API v2, as Chatbase reports it on v1.'),
  ...conversationV2Fields,
  messages: z
    .array(conversationMessageSchema)
    .title('Messages')
    .describe('The messages of the conversation, oldest first; empty when Include is summary.'),
  chatbotId: z.string().title('Agent ID').describe('AI agent of the conversation.'),
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

export const CONVERSATION_STATES = ['ongoing', 'ended', 'taken_over', 'paused'] as const
export const SENTIMENTS = ['positive', 'neutral', 'negative', 'unspecified'] as const
export const FEEDBACK_RATINGS = ['positive', 'negative'] as const
export const EXPORT_INCLUDES = ['messages', 'summary'] as const

const foundConversationSchema = z.object({
  id: z.string().title('Conversation ID').describe('Chatbase id of the conversation.'),
  createdAt: z.string().optional().title('Created At').describe('When the conversation started, ISO 8601.'),
  ...conversationV2Fields,
  source: z.string().optional().title('Source').describe('Where the conversation happened, e.g. WhatsApp.'),
  parentConversationId: z
    .string()
    .optional()
    .title('Parent Conversation ID')
    .describe('The conversation this one continues, when Chatbase gives one.'),
  snippet: z
    .string()
    .optional()
    .title('Snippet')
    .describe('About 180 characters of the best-matching message, as plain text; absent when only the title matched.'),
  snippetSpeaker: z
    .string()
    .optional()
    .title('Snippet Speaker')
    .describe('Who wrote the snippet: user, or the AI agent as Chatbase names it.'),
  matched: z
    .array(z.string())
    .optional()
    .title('Matched')
    .describe('The parts of the snippet that matched the query, in order.'),
})

/** A list filter of search: values are ORed, filters ANDed. */
const anyOf = (title: string, what: string) =>
  z
    .array(
      z
        .string()
        .min(1)
        .regex(/^[^,]*$/, 'must not contain a comma: Chatbase separates the values with commas')
    )
    .optional()
    .title(title)
    .describe(`Only conversations with any of these ${what}.`)

const dateOrTime = (title: string, description: string) =>
  z
    .string()
    .regex(
      /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2}))?$/,
      'must be a day written YYYY-MM-DD or an ISO 8601 date-time with its offset, e.g. 2025-01-31 or 2025-01-31T09:00:00Z'
    )
    .optional()
    .title(title)
    .describe(`${description} YYYY-MM-DD (a whole UTC day) or an ISO 8601 date-time.`)
    .placeholder('2025-01-31')

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
    description: `Read the AI agent's conversations from every channel, with their messages, filtered by source and date: one page, or every page up to a limit. On Chatbase API v2 it can also read one conversation by its id, or summaries without messages, and continues with a cursor; on plans without v2 it reads API v1's conversations page by page.`,
    input: {
      schema: z.object({
        filteredSources: sourcesFilter,
        ...dateRange,
        conversationId: pathSafeId()
          .optional()
          .title('Conversation ID')
          .describe('Only this conversation, from any channel (API v2; refused on v1).'),
        include: z
          .enum(EXPORT_INCLUDES)
          .default('messages')
          .title('Include')
          .describe(
            'messages (the default) or summary: the conversations without their messages, a cheaper read (on API v1 the messages are read and left out).'
          ),
        cursor: cursorInput.describe(
          'Where to continue on API v2: the Next Cursor of an earlier read (refused on v1, which continues with Page). Leave empty for the first page.'
        ),
        page: pageNumber.describe(
          `Page to read, from 1, on API v1 (API v2 continues with Cursor, and refuses a Page other than 1). Default 1.`
        ),
        size: pageSize('Conversations', MAX_CONVERSATIONS_PAGE_SIZE).describe(
          `Conversations per page, from 1 to ${MAX_CONVERSATIONS_PAGE_SIZE} (API v2 reads at most ${EXPORT_PAGE_SIZE} a page). Default ${DEFAULT_PAGE_SIZE}.`
        ),
        limit: itemsLimit('conversations'),
        chatbotId: chatbotIdOverride,
      }),
    },
    output: {
      schema: z.object({
        conversations: z.array(conversationSchema).title('Conversations').describe('The conversations read.'),
        size: z.number().title('Page Size').describe('The page size used.'),
        hasMore: z.boolean().title('Has More').describe('True when more conversations may follow the ones returned.'),
        page: z.number().optional().title('Page').describe('The first page that was read (API v1).'),
        nextPage: z
          .number()
          .optional()
          .title('Next Page')
          .describe('The page to read next to continue, when Has More is true (API v1).'),
        nextCursor: cursorOutput.nextCursor.describe('Pass it as Cursor to read on, when Has More is true (API v2).'),
        total: z
          .number()
          .optional()
          .title('Total')
          .describe('How many conversations match the filters, when Chatbase says (API v2).'),
      }),
    },
  },
  searchConversations: {
    title: 'Search Conversations',
    description: `Search the AI agent's conversations from every channel by text, filters or both, created within about the last 12 months: each result comes with a plain-text snippet of the best match, without messages (read them with Get Conversations and its Conversation ID). One page, or every page up to a limit. Needs Chatbase API v2 (Standard plan or higher).`,
    input: {
      schema: z.object({
        query: z
          .string()
          .min(1)
          .optional()
          .title('Query')
          .describe(
            'Words to find in the messages and titles; every word must match. Empty: the most recently active conversations first.'
          ),
        source: sourcesFilter,
        sentiment: z
          .array(z.enum(SENTIMENTS))
          .optional()
          .title('Sentiment')
          .describe(`Only conversations with any of these sentiments: ${SENTIMENTS.join(', ')}.`),
        topic: anyOf('Topics', 'topics (their names, or unspecified)'),
        userId: anyOf('User IDs', 'user IDs'),
        activityState: z
          .array(z.enum(CONVERSATION_STATES))
          .optional()
          .title('Activity State')
          .describe(`Only conversations in any of these states: ${CONVERSATION_STATES.join(', ')}.`),
        feedback: z
          .array(z.enum(FEEDBACK_RATINGS))
          .optional()
          .title('Feedback')
          .describe('Only conversations with a message rated positive or negative (any of those listed).'),
        escalated: z
          .boolean()
          .optional()
          .title('Escalated')
          .describe('True: only conversations handed to a human (ticket or live chat). Empty or false: all.'),
        actionType: anyOf('Action Types', 'action types run, e.g. collect-leads'),
        tool: anyOf('Tools', 'tools called'),
        toolOutcome: anyOf('Tool Outcomes', 'tool result statuses, e.g. error (of Tools, when given)'),
        procedure: anyOf('Procedures', 'procedures run'),
        procedureOutcome: anyOf(
          'Procedure Outcomes',
          'procedure run statuses, e.g. completed (of Procedures, when given)'
        ),
        hasVoice: z
          .boolean()
          .optional()
          .title('Has Voice')
          .describe('True: only conversations with a voice session; false: only those without. Empty: all.'),
        startDate: dateOrTime('Start Date', 'Only conversations started from then on.'),
        endDate: dateOrTime('End Date', 'Only conversations started up to then (a day is included).'),
        updatedAfter: dateOrTime('Updated After', 'Only conversations active from then on.'),
        updatedBefore: dateOrTime('Updated Before', 'Only conversations last active up to then (a day is included).'),
        cursor: cursorInput.describe(
          'Where to continue: the Next Cursor of an earlier search with the very same query and filters. Leave empty for the first page.'
        ),
        limit: itemsLimit('conversations', 'Cursor'),
        chatbotId: chatbotIdOverride,
      }),
    },
    output: {
      schema: z.object({
        conversations: z
          .array(foundConversationSchema)
          .title('Conversations')
          .describe('The conversations found, the best match first (with a Query) or the latest active first.'),
        ...cursorOutput,
      }),
    },
  },
} as const

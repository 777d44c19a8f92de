import { z } from '@botpress/sdk'
import { chatbotIdOverride, cursorInput, cursorItemsLimit, cursorOutput } from '../fields'

/*
 * Chatbase's helpdesk on API v2 (§7.7 of the reference): tickets, their replies, statuses and teams. Inputs carry v2's
 * own field names; outputs carry v2's objects with v2's field names. Enum values Chatbase sends are read as any text
 * (it adds channels and categories), while what is sent keeps to the documented values.
 */

export const STATUS_CATEGORIES = ['new', 'on_you', 'on_customer', 'on_hold', 'closed', 'cancelled'] as const
export const PRIORITIES = ['none', 'low', 'normal', 'high', 'urgent'] as const
const KNOWN_CHANNELS =
  'helpdesk, iframe, email, whatsapp, api, messenger, instagram, center_stage, phone, instagram_comment, facebook_comment'
export const MESSAGE_TYPES = ['reply', 'note', 'event'] as const
const SORT_FIELDS = ['createdAt', 'updatedAt', 'lastMessageAt'] as const
const ORDERS = ['asc', 'desc'] as const

/** The largest page of the ticket and message lists. */
export const HELPDESK_MAX_PAGE_SIZE = 100
const MAX_TICKET_NUMBER = 2_147_483_647
const MAX_SUBJECT_LENGTH = 500
const MAX_TEXT_LENGTH = 10_000
const MAX_CUSTOMER_NAME_LENGTH = 255
const MAX_QUERY_LENGTH = 512
const MAX_SEARCH_RESULTS = 50
const DEFAULT_SEARCH_RESULTS = 20
/** What List Ticket Messages reads unless told otherwise: Chatbase's own default, events being opt-in. */
const DEFAULT_MESSAGE_TYPES: (typeof MESSAGE_TYPES)[number][] = ['reply', 'note']
/** The one field value that means "not assigned" in List Tickets' filters. */
const NONE = 'none'

const uuid = (title: string, description: string) => z.string().uuid().optional().title(title).describe(description)

const UUID_OR_NONE = new RegExp(`^(${NONE}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$`, 'i')
const idOrNone = (title: string, description: string) =>
  z.string().regex(UUID_OR_NONE, `must be an id (a UUID) or "${NONE}"`).optional().title(title).describe(description)

const ticketNumber = z
  .number()
  .int()
  .min(1)
  .max(MAX_TICKET_NUMBER)
  .title('Ticket Number')
  .describe("The ticket's number in this AI agent's helpdesk, e.g. 42.")

const statusChoice = {
  statusCategory: z
    .enum(STATUS_CATEGORIES)
    .optional()
    .title('Status Category')
    .describe(
      `Put the ticket in this category's default status: ${STATUS_CATEGORIES.join(', ')}. Give this or Status ID, not both.`
    ),
  statusId: uuid(
    'Status ID',
    'Put the ticket in this exact status (an id from List Ticket Statuses). Give this or Status Category, not both.'
  ),
}

const assigneeChoice = {
  assigneeEmail: z
    .string()
    .email()
    .optional()
    .title('Assignee Email')
    .describe('Assign the ticket to the team member with this email. Give this or Assignee ID, not both.'),
  assigneeId: uuid(
    'Assignee ID',
    'Assign the ticket to the team member with this user id. Give this or Assignee Email, not both.'
  ),
}

const priority = (description: string) =>
  z
    .enum(PRIORITIES)
    .optional()
    .title('Priority')
    .describe(`${description}: ${PRIORITIES.join(', ')}.`)

const anyText = (title: string, description: string) => z.string().optional().title(title).describe(description)

const customerSchema = z
  .object({
    id: anyText('Customer ID', 'Chatbase id of the customer (a contact).'),
    name: anyText('Name', "The customer's name, if known."),
    email: anyText('Email', "The customer's email, if known."),
    phoneNumber: anyText('Phone Number', "The customer's phone number, if known."),
  })
  .optional()
  .title('Customer')
  .describe('Who the ticket is for.')

const ticketFields = {
  ticketNumber: z.number().title('Ticket Number').describe("The ticket's number in this AI agent's helpdesk."),
  subject: anyText('Subject', "The ticket's subject."),
  statusCategory: anyText(
    'Status Category',
    `Category of the ticket's status: ${STATUS_CATEGORIES.join(', ')}, or another Chatbase adds.`
  ),
  statusId: anyText('Status ID', "Id of the ticket's status."),
  assigneeId: anyText('Assignee ID', 'User id of the team member the ticket is assigned to; absent if none.'),
  customer: customerSchema,
  channel: anyText('Channel', `Where the ticket came from: ${KNOWN_CHANNELS}, or another Chatbase adds.`),
  conversationId: anyText('Conversation ID', 'The conversation the ticket came from, if any.'),
  teamId: anyText('Team ID', 'Team the ticket belongs to; absent if none.'),
  priority: anyText('Priority', `${PRIORITIES.join(', ')}, or another Chatbase adds.`),
  createdAt: anyText('Created At', 'When the ticket was created (ISO 8601).'),
  updatedAt: anyText('Updated At', 'When the ticket last changed (ISO 8601).'),
  lastMessageAt: anyText('Last Message At', 'When the latest message came (ISO 8601); absent if none.'),
}

const ticketListItemSchema = z.object(ticketFields).title('Ticket').describe('A ticket, without its description.')

const ticketSchema = z
  .object({
    ...ticketFields,
    description: anyText('Description', "The ticket's description: its first message."),
    metadata: z.record(z.unknown()).title('Metadata').describe('What else Chatbase keeps on the ticket.'),
  })
  .title('Ticket')
  .describe('The ticket.')

const senderSchema = z
  .object({
    type: anyText('Type', 'customer, agent or system, or another type Chatbase adds.'),
    id: anyText('Sender ID', 'Contact id of a customer, user id of a team member.'),
    name: anyText('Name', "The sender's name."),
    email: anyText('Email', "The sender's email."),
  })
  .optional()
  .title('Sender')
  .describe('Who wrote the message; absent for events.')

const messageFields = {
  id: z.string().title('Message ID').describe('Chatbase id of the message.'),
  type: anyText('Type', 'reply, note or event, or another type Chatbase adds.'),
  sender: senderSchema,
  content: anyText('Content', 'The message as HTML.'),
  contentText: anyText('Content Text', 'The message as plain text (a reply sent here: its Markdown).'),
  createdAt: anyText('Created At', 'When the message was written (ISO 8601).'),
}

const attachmentSchema = z
  .object({
    name: anyText('Name', 'File name.'),
    url: anyText('URL', 'Link to the file; it leads to a signed address valid for 120 seconds.'),
    type: anyText('Type', 'MIME type.'),
    size: z.number().optional().title('Size').describe('Size in bytes.'),
  })
  .title('Attachment')
  .describe('A file attached to the message.')

const messageSchema = z
  .object({
    ...messageFields,
    attachments: z.array(attachmentSchema).title('Attachments').describe('Files attached; none on events.'),
    metadata: z
      .record(z.unknown())
      .optional()
      .title('Metadata')
      .describe('For events: eventType (e.g. status_change, assign) and who or what changed.'),
  })
  .title('Message')
  .describe('A reply, note or event of the ticket.')

const statusSchema = z
  .object({
    id: z.string().title('Status ID').describe('Id of the status, for Status ID.'),
    category: anyText('Category', `${STATUS_CATEGORIES.join(', ')}, or another Chatbase adds.`),
    externalLabel: anyText('External Label', 'Name customers see.'),
    internalLabel: anyText('Internal Label', 'Name the team sees.'),
    color: anyText('Color', 'Hex color, if any.'),
    isDefault: z.boolean().optional().title('Is Default').describe("True for its category's default status."),
    position: z.number().optional().title('Position').describe('Order within its category.'),
  })
  .title('Status')
  .describe('A ticket status.')

const teamSchema = z
  .object({
    id: z.string().title('Team ID').describe('Id of the team, for Team ID.'),
    name: anyText('Name', "The team's name."),
    isDefault: z.boolean().optional().title('Is Default').describe('True for the default team.'),
    memberCount: z.number().optional().title('Member Count').describe('How many members the team has.'),
  })
  .title('Team')
  .describe('A helpdesk team.')

const ticketOutput = z.object({ ticket: ticketSchema })

export const helpdeskActions = {
  createTicket: {
    title: 'Create Ticket',
    description:
      "Open a ticket in the AI agent's Chatbase helpdesk for a customer, e.g. to hand a conversation to the team. Needs Chatbase API v2 (Standard plan). If Chatbase's answer is lost, the card is not sent again and says how to find the ticket.",
    input: {
      schema: z.object({
        subject: z
          .string()
          .min(1)
          .max(MAX_SUBJECT_LENGTH)
          .title('Subject')
          .describe(`The ticket's subject, up to ${MAX_SUBJECT_LENGTH} characters.`),
        description: z
          .string()
          .min(1)
          .max(MAX_TEXT_LENGTH)
          .title('Description')
          .describe(
            `What the customer needs, up to ${MAX_TEXT_LENGTH.toLocaleString('en-US')} characters: it becomes the ticket's first message, as the customer's.`
          ),
        customerEmail: z
          .string()
          .email()
          .title('Customer Email')
          .describe("The customer's email: their existing contact is used, or a new one is made."),
        customerName: z
          .string()
          .min(1)
          .max(MAX_CUSTOMER_NAME_LENGTH)
          .optional()
          .title('Customer Name')
          .describe("The customer's name, used only when the email is new to Chatbase."),
        priority: priority('Default none'),
        ...statusChoice,
        ...assigneeChoice,
        teamId: uuid(
          'Team ID',
          "Put the ticket in this team (an id from List Helpdesk Teams); without an assignee it is assigned within the team. Default: Chatbase's routing rules."
        ),
        chatbotId: chatbotIdOverride,
      }),
    },
    output: { schema: ticketOutput.describe('The ticket created.') },
  },
  listTickets: {
    title: 'List Tickets',
    description:
      "List the helpdesk's tickets, filtered and sorted: one page, or every page up to a Limit. Needs Chatbase API v2 (Standard plan).",
    input: {
      schema: z.object({
        status: z
          .array(z.enum(STATUS_CATEGORIES))
          .optional()
          .title('Status')
          .describe(`Only tickets in these status categories: ${STATUS_CATEGORIES.join(', ')}. Default: all.`),
        channel: z
          .array(z.string().regex(/^[^,]+$/, 'must be one channel, without commas'))
          .optional()
          .title('Channel')
          .describe(`Only tickets from these channels, e.g. ${KNOWN_CHANNELS}. Default: all.`),
        priority: z
          .array(z.enum(PRIORITIES))
          .optional()
          .title('Priority')
          .describe(`Only tickets of these priorities: ${PRIORITIES.join(', ')} (none: not triaged). Default: all.`),
        assigneeId: idOrNone('Assignee ID', `Only tickets assigned to this user id, or "${NONE}" for unassigned ones.`),
        teamId: idOrNone('Team ID', `Only tickets of this team, or "${NONE}" for tickets without a team.`),
        createdAfter: z
          .string()
          .datetime({ offset: true })
          .optional()
          .title('Created After')
          .describe('Only tickets created at or after this time (ISO 8601, e.g. 2026-07-01T00:00:00Z).'),
        createdBefore: z
          .string()
          .datetime({ offset: true })
          .optional()
          .title('Created Before')
          .describe('Only tickets created at or before this time (ISO 8601, e.g. 2026-07-31T23:59:59Z).'),
        sortBy: z
          .enum(SORT_FIELDS)
          .default('updatedAt')
          .title('Sort By')
          .describe(
            `${SORT_FIELDS.join(', ')}; default updatedAt. Keep it, and Order, while following a Cursor: a cursor is only valid for the sort it came with.`
          ),
        order: z.enum(ORDERS).default('desc').title('Order').describe('asc or desc (default: newest first).'),
        includeTotal: z
          .boolean()
          .default(false)
          .title('Include Total')
          .describe('Also count every matching ticket (Total); costs Chatbase an extra query. Default false.'),
        cursor: cursorInput,
        limit: cursorItemsLimit('tickets'),
        chatbotId: chatbotIdOverride,
      }),
    },
    output: {
      schema: z.object({
        tickets: z.array(ticketListItemSchema).title('Tickets').describe('The tickets read.'),
        ...cursorOutput,
        total: z
          .number()
          .optional()
          .title('Total')
          .describe('How many tickets match, when Include Total is on and Chatbase gave it.'),
      }),
    },
  },
  searchTickets: {
    title: 'Search Tickets',
    description:
      'Find tickets whose messages match words, best matches first (not paginated: at most Limit results). Needs Chatbase API v2 (Standard plan).',
    input: {
      schema: z.object({
        query: z
          .string()
          .min(1)
          .max(MAX_QUERY_LENGTH)
          .title('Query')
          .describe(`Words to look for in the tickets' messages, up to ${MAX_QUERY_LENGTH} characters.`),
        limit: z
          .number()
          .int()
          .min(1)
          .max(MAX_SEARCH_RESULTS)
          .default(DEFAULT_SEARCH_RESULTS)
          .title('Limit')
          .describe(`Most tickets to return, 1 to ${MAX_SEARCH_RESULTS}. Default ${DEFAULT_SEARCH_RESULTS}.`),
        chatbotId: chatbotIdOverride,
      }),
    },
    output: {
      schema: z.object({
        tickets: z.array(ticketListItemSchema).title('Tickets').describe('The tickets found, best first.'),
        hasMore: z
          .boolean()
          .title('Has More')
          .describe('True when more tickets matched than were returned: narrow the query or raise Limit.'),
      }),
    },
  },
  getTicket: {
    title: 'Get Ticket',
    description: 'Read one ticket by its number, with its description. Needs Chatbase API v2 (Standard plan).',
    input: { schema: z.object({ ticketNumber, chatbotId: chatbotIdOverride }) },
    output: { schema: ticketOutput.describe('The ticket read.') },
  },
  updateTicket: {
    title: 'Update Ticket',
    description:
      'Change the status, assignee, team or priority of a ticket; fields left blank stay as they are. Needs Chatbase API v2 (Standard plan).',
    input: {
      schema: z.object({
        ticketNumber,
        ...statusChoice,
        ...assigneeChoice,
        clearAssignee: z
          .boolean()
          .default(false)
          .title('Clear Assignee')
          .describe('On: unassign the ticket (leave Assignee Email and Assignee ID blank). Default off.'),
        teamId: uuid('Team ID', 'Move the ticket to this team (an id from List Helpdesk Teams).'),
        clearTeam: z
          .boolean()
          .default(false)
          .title('Clear Team')
          .describe('On: take the ticket out of its team (leave Team ID blank). Default off.'),
        priority: priority('The new priority; none clears it'),
        chatbotId: chatbotIdOverride,
      }),
    },
    output: { schema: ticketOutput.describe('The ticket as it is now.') },
  },
  replyToTicket: {
    title: 'Reply To Ticket',
    description:
      'Send a reply to the customer of a ticket, as a team member. When the ticket came from a conversation, a human must have taken that conversation over in Chatbase first. Chatbase delivers it afterwards; if its answer is lost, the reply is not sent again. Needs Chatbase API v2 (Standard plan).',
    input: {
      schema: z.object({
        ticketNumber,
        content: z
          .string()
          .min(1)
          .max(MAX_TEXT_LENGTH)
          .title('Content')
          .describe(
            `The reply in Markdown (GitHub-flavored), up to ${MAX_TEXT_LENGTH.toLocaleString('en-US')} characters; raw HTML is removed.`
          ),
        authorEmail: z
          .string()
          .email()
          .optional()
          .title('Author Email')
          .describe('Email of the team member the reply is from. Give this or Author ID, exactly one.'),
        authorId: uuid(
          'Author ID',
          'User id of the team member the reply is from. Give this or Author Email, exactly one.'
        ),
        chatbotId: chatbotIdOverride,
      }),
    },
    output: {
      schema: z.object({
        message: z.object(messageFields).title('Message').describe('The reply as Chatbase recorded it.'),
      }),
    },
  },
  listTicketMessages: {
    title: 'List Ticket Messages',
    description:
      "Read a ticket's thread: replies and notes, and events if asked; one page, or every page up to a Limit. Needs Chatbase API v2 (Standard plan).",
    input: {
      schema: z.object({
        ticketNumber,
        types: z
          .array(z.enum(MESSAGE_TYPES))
          .min(1)
          .default(DEFAULT_MESSAGE_TYPES)
          .title('Types')
          .describe(`Which messages: ${MESSAGE_TYPES.join(', ')}. Default ${DEFAULT_MESSAGE_TYPES.join(' and ')}.`),
        order: z
          .enum(ORDERS)
          .default('asc')
          .title('Order')
          .describe('asc (default: oldest first) or desc. Keep it while following a Cursor.'),
        cursor: cursorInput,
        limit: cursorItemsLimit('messages'),
        chatbotId: chatbotIdOverride,
      }),
    },
    output: {
      schema: z.object({
        messages: z.array(messageSchema).title('Messages').describe('The messages read.'),
        ...cursorOutput,
        total: z.number().optional().title('Total').describe('How many messages of these types the ticket has.'),
      }),
    },
  },
  listTicketStatuses: {
    title: 'List Ticket Statuses',
    description:
      "List the helpdesk's ticket statuses, by category, for Status ID. Needs Chatbase API v2 (Standard plan).",
    input: { schema: z.object({ chatbotId: chatbotIdOverride }) },
    output: {
      schema: z.object({ statuses: z.array(statusSchema).title('Statuses').describe('The active statuses.') }),
    },
  },
  listHelpdeskTeams: {
    title: 'List Helpdesk Teams',
    description: "List the helpdesk's teams, for Team ID. Needs Chatbase API v2 (Standard plan).",
    input: { schema: z.object({ chatbotId: chatbotIdOverride }) },
    output: { schema: z.object({ teams: z.array(teamSchema).title('Teams').describe('The teams.') }) },
  },
} as const

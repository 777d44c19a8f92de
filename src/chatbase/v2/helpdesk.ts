import { z } from '@botpress/sdk'
import { ChatbaseError, isLostAnswer } from '../errors'
import type { ChatbaseTransport } from '../transport'
import { agentPath, agentTarget, bareOrData, cursorPage, type CursorPage } from './shared'

/*
 * Chatbase's helpdesk on API v2 (§7.7 of the reference). Answers are read tolerantly: enum values as any text
 * (Chatbase adds channels, categories, priorities), nulls and missing fields as absent, extra fields ignored, a bare
 * object or one wrapped in `{ data }`; only the ids the outputs are keyed by are required. Requests carry only the
 * documented fields.
 */

/** Studio shows a field that is absent better than a null one: v2's nulls become absent fields. */
const optionalText = z
  .string()
  .nullish()
  .transform((value) => value ?? undefined)
const record = z
  .record(z.unknown())
  .nullish()
  .transform((value) => value ?? {})

const customerWire = z
  .object({ id: optionalText, name: optionalText, email: optionalText, phoneNumber: optionalText })
  .nullish()
  .transform((value) => value ?? undefined)

const ticketListItemFields = {
  ticketNumber: z.number().int(),
  subject: optionalText,
  statusCategory: optionalText,
  statusId: optionalText,
  assigneeId: optionalText,
  customer: customerWire,
  channel: optionalText,
  conversationId: optionalText,
  teamId: optionalText,
  priority: optionalText,
  createdAt: optionalText,
  updatedAt: optionalText,
  lastMessageAt: optionalText,
}
const ticketListItemWire = z.object(ticketListItemFields)
export type TicketListItem = z.output<typeof ticketListItemWire>

const ticketWire = z.object({ ...ticketListItemFields, description: optionalText, metadata: record })
export type Ticket = z.output<typeof ticketWire>

const senderWire = z
  .object({ type: optionalText, id: optionalText, name: optionalText, email: optionalText })
  .nullish()
  .transform((value) => value ?? undefined)

const messageFields = {
  id: z.string().min(1),
  type: optionalText,
  sender: senderWire,
  content: optionalText,
  contentText: optionalText,
  createdAt: optionalText,
}
const createdMessageWire = z.object(messageFields)
export type CreatedTicketMessage = z.output<typeof createdMessageWire>

const attachmentWire = z.object({
  name: optionalText,
  url: optionalText,
  type: optionalText,
  size: z
    .number()
    .nullish()
    .transform((value) => value ?? undefined),
})

const messageWire = z.object({
  ...messageFields,
  attachments: z
    .array(attachmentWire)
    .nullish()
    .transform((value) => value ?? []),
  // Only events carry it.
  metadata: z
    .record(z.unknown())
    .nullish()
    .transform((value) => value ?? undefined),
})
export type TicketMessage = z.output<typeof messageWire>

const statusWire = z.object({
  id: z.string().min(1),
  category: optionalText,
  externalLabel: optionalText,
  internalLabel: optionalText,
  color: optionalText,
  isDefault: z
    .boolean()
    .nullish()
    .transform((value) => value ?? undefined),
  position: z
    .number()
    .nullish()
    .transform((value) => value ?? undefined),
})
export type TicketStatus = z.output<typeof statusWire>

const teamWire = z.object({
  id: z.string().min(1),
  name: optionalText,
  isDefault: z
    .boolean()
    .nullish()
    .transform((value) => value ?? undefined),
  memberCount: z
    .number()
    .nullish()
    .transform((value) => value ?? undefined),
})
export type HelpdeskTeam = z.output<typeof teamWire>

/** The body of a ticket creation, as v2 names it. */
export type NewTicket = {
  subject: string
  description: string
  customer: { email: string; name?: string }
  statusCategory?: string
  statusId?: string
  assigneeEmail?: string
  assigneeId?: string
  teamId?: string
  priority?: string
}

/** The fields of a ticket update; null clears an assignee or a team. */
export type TicketChanges = {
  statusCategory?: string
  statusId?: string
  assigneeEmail?: string
  assigneeId?: string | null
  teamId?: string | null
  priority?: string
}

export type TicketsQuery = Record<string, string | number | undefined>

export type ReplyAuthor = { authorEmail: string } | { authorId: string }

/** The same failure, with what to do about it said after Chatbase's own words. */
const withAdvice = (error: ChatbaseError, advice: string): ChatbaseError =>
  new ChatbaseError(`${error.message} ${advice}`, error.delivery, error.status, error.chatbaseCode)

const ticketTarget = (agentId: string, ticketNumber: number) => `ticket ${ticketNumber} of ${agentTarget(agentId)}`

export class HelpdeskApi {
  public constructor(private readonly transport: ChatbaseTransport) {}

  public async listTicketStatuses(agentId: string): Promise<TicketStatus[]> {
    const page = await this.transport.request({
      api: 'v2',
      method: 'GET',
      path: agentPath(agentId, 'helpdesk', 'ticket-statuses'),
      responseSchema: cursorPage(statusWire),
      operation: 'list the ticket statuses',
      target: agentTarget(agentId),
    })
    return page.items
  }

  public async listTeams(agentId: string): Promise<HelpdeskTeam[]> {
    const page = await this.transport.request({
      api: 'v2',
      method: 'GET',
      path: agentPath(agentId, 'helpdesk', 'teams'),
      responseSchema: cursorPage(teamWire),
      operation: 'list the helpdesk teams',
      target: agentTarget(agentId),
    })
    return page.items
  }

  /**
   * Never sent twice: a second ticket would reach the team twice. When Chatbase may have made it without the answer
   * coming back, the error says how to find it.
   */
  public async createTicket(agentId: string, ticket: NewTicket): Promise<Ticket> {
    try {
      return await this.transport.request({
        api: 'v2',
        method: 'POST',
        path: agentPath(agentId, 'helpdesk', 'tickets'),
        body: ticket,
        policy: 'creation',
        responseSchema: bareOrData(ticketWire),
        operation: 'create the ticket',
        target: agentTarget(agentId),
      })
    } catch (thrown) {
      if (isLostAnswer(thrown)) {
        throw withAdvice(
          thrown,
          `The ticket may exist: look for it with Search Tickets (its subject) or List Tickets sorted by createdAt before creating it again.`
        )
      }
      throw thrown
    }
  }

  public async listTicketsPage(agentId: string, query: TicketsQuery): Promise<CursorPage<TicketListItem>> {
    return this.transport.request({
      api: 'v2',
      method: 'GET',
      path: agentPath(agentId, 'helpdesk', 'tickets'),
      query,
      responseSchema: cursorPage(ticketListItemWire),
      operation: 'list the tickets',
      target: agentTarget(agentId),
    })
  }

  /** A POST that only reads: sent again like any read. */
  public async searchTickets(
    agentId: string,
    search: { query: string; limit: number }
  ): Promise<CursorPage<TicketListItem>> {
    return this.transport.request({
      api: 'v2',
      method: 'POST',
      path: agentPath(agentId, 'helpdesk', 'tickets', 'search'),
      body: search,
      policy: 'read',
      responseSchema: cursorPage(ticketListItemWire),
      operation: 'search the tickets',
      target: agentTarget(agentId),
    })
  }

  public async getTicket(agentId: string, ticketNumber: number): Promise<Ticket> {
    return this.transport.request({
      api: 'v2',
      method: 'GET',
      path: agentPath(agentId, 'helpdesk', 'tickets', ticketNumber),
      responseSchema: bareOrData(ticketWire),
      operation: `get ticket ${ticketNumber}`,
      target: ticketTarget(agentId, ticketNumber),
    })
  }

  /** Setting the same values again changes nothing more, so it may be sent again. */
  public async updateTicket(agentId: string, ticketNumber: number, changes: TicketChanges): Promise<Ticket> {
    return this.transport.request({
      api: 'v2',
      method: 'PATCH',
      path: agentPath(agentId, 'helpdesk', 'tickets', ticketNumber),
      body: changes,
      policy: 'idempotent-write',
      responseSchema: bareOrData(ticketWire),
      operation: `update ticket ${ticketNumber}`,
      target: ticketTarget(agentId, ticketNumber),
    })
  }

  public async listMessagesPage(
    agentId: string,
    ticketNumber: number,
    query: TicketsQuery
  ): Promise<CursorPage<TicketMessage>> {
    return this.transport.request({
      api: 'v2',
      method: 'GET',
      path: agentPath(agentId, 'helpdesk', 'tickets', ticketNumber, 'messages'),
      query,
      responseSchema: cursorPage(messageWire),
      operation: `list the messages of ticket ${ticketNumber}`,
      target: ticketTarget(agentId, ticketNumber),
    })
  }

  /** Never sent twice: the customer would get the reply twice. */
  public async replyToTicket(
    agentId: string,
    ticketNumber: number,
    reply: { content: string } & ReplyAuthor
  ): Promise<CreatedTicketMessage> {
    try {
      return await this.transport.request({
        api: 'v2',
        method: 'POST',
        path: agentPath(agentId, 'helpdesk', 'tickets', ticketNumber, 'messages'),
        body: { type: 'reply', ...reply },
        policy: 'creation',
        responseSchema: bareOrData(createdMessageWire),
        operation: `reply to ticket ${ticketNumber}`,
        target: ticketTarget(agentId, ticketNumber),
      })
    } catch (thrown) {
      if (thrown instanceof ChatbaseError && thrown.chatbaseCode === 'CONVERSATION_NOT_TAKEN_OVER') {
        throw withAdvice(
          thrown,
          "The ticket's conversation is still answered by the AI agent: take the conversation over in Chatbase (Inbox) first, then reply."
        )
      }
      if (isLostAnswer(thrown)) {
        throw withAdvice(
          thrown,
          'The reply may have been recorded: look for it with List Ticket Messages (order desc) before sending it again.'
        )
      }
      throw thrown
    }
  }
}

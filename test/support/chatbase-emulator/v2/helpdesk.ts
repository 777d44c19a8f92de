// Chatbase's helpdesk (§7.7): tickets with their replies, notes and events, the statuses of each category and the
// teams with their members, per agent. What the spec leaves open is chosen plainly: a ticket made through the API
// comes from the `api` channel and goes to no one unless an assignee or a team is given (no routing rules are set
// up); a reply moves the ticket to the default status of `on_customer`, as the dashboard does.
import { randomUUID } from 'node:crypto'
import type { Slot, Store } from '../store'
import type { AgentsArea } from './agents'
import type { AgentConversations } from './conversation-store'
import { invalidBody, V2Error, type V2Answer, type V2Context, type V2Route } from './core'
import { cursorOffset, encodeCursor, queryKey } from './paging'

export const STATUS_CATEGORIES = ['new', 'on_you', 'on_customer', 'on_hold', 'closed', 'cancelled'] as const
export const PRIORITIES = ['none', 'low', 'normal', 'high', 'urgent'] as const
const MESSAGE_TYPES = ['reply', 'note', 'event'] as const
const DEFAULT_LIMIT = 20
const DEFAULT_SEARCH_LIMIT = 20

type Person = { id: string; name: string | null; email: string | null }
export type TeamMember = Person
export type TicketStatus = {
  id: string
  category: string
  externalLabel: string
  internalLabel: string
  color: string | null
  isDefault: boolean
  position: number
}
export type Team = { id: string; name: string; isDefault: boolean; members: TeamMember[] }
export type TicketMessage = {
  id: string
  type: string
  sender: { type: string; id: string | null; name: string | null; email: string | null } | null
  content: string | null
  contentText: string | null
  attachments: { name: string | null; url: string | null; type: string | null; size: number | null }[]
  createdAt: string
  metadata?: Record<string, unknown>
}
export type StoredTicket = {
  ticketNumber: number
  subject: string | null
  description: string | null
  statusId: string
  assigneeId: string | null
  customer: { id: string; name: string | null; email: string | null; phoneNumber: string | null }
  metadata: Record<string, unknown>
  channel: string // any text: a test may give one the spec does not list
  conversationId: string | null
  teamId: string | null
  priority: string
  createdAt: string
  updatedAt: string
  lastMessageAt: string | null
  messages: TicketMessage[]
}
// What a test gives addTicket: all optional; the status by category, the customer by email
export type NewTicket = Partial<Omit<StoredTicket, 'ticketNumber' | 'statusId' | 'customer' | 'messages'>> & {
  statusCategory?: string
  customerEmail?: string
  customerName?: string
  messages?: Partial<TicketMessage>[]
}

// How the helpdesk answers where the spec allows several readings, or a client must read what it does not list:
// pagination.total only when asked (the spec), always, or never (it is optional); the spec's enums, or values it
// does not list for channel, status category, priority and sender type (Chatbase adds them)
export type HelpdeskShape = { total: 'when-asked' | 'always' | 'never'; unknownEnums: boolean }
const DOCUMENTED_SHAPE: HelpdeskShape = { total: 'when-asked', unknownEnums: false }
// What the unknownEnums switch shows in place of each documented value
export const UNKNOWN_ENUMS = { channel: 'telegram', category: 'escalated', priority: 'critical', sender: 'bot' }

type Helpdesk = {
  statuses: TicketStatus[]
  teams: Team[]
  tickets: StoredTicket[]
  contacts: Map<string, StoredTicket['customer']> // by email
  nextNumber: number
}

// One status per category, two for on_hold (positions within the category), and two teams, as a workspace might set
// them up
function newHelpdesk(): Helpdesk {
  const statuses = STATUS_CATEGORIES.flatMap((category) => {
    const label = category.replace('_', ' ')
    const status = (extra: Partial<TicketStatus> = {}): TicketStatus => ({
      id: randomUUID(),
      category,
      externalLabel: label,
      internalLabel: label,
      color: null,
      isDefault: true,
      position: 0,
      ...extra,
    })
    return category === 'on_hold'
      ? [
          status(),
          status({ externalLabel: 'Waiting on billing', internalLabel: 'Billing', isDefault: false, position: 1 }),
        ]
      : [status()]
  })
  const member = (name: string, email: string): TeamMember => ({ id: randomUUID(), name, email })
  const grace = member('Grace Hopper', 'grace@example.com')
  const alan = member('Alan Turing', 'alan@example.com')
  const teams = [
    { id: randomUUID(), name: 'Support', isDefault: true, members: [grace, alan] },
    { id: randomUUID(), name: 'Billing', isDefault: false, members: [alan] },
  ]
  return { statuses, teams, tickets: [], contacts: new Map(), nextNumber: 1 }
}

const ticketNotFound = () => new V2Error(404, 'TICKET_NOT_FOUND', 'The requested ticket could not be found')

export class HelpdeskArea {
  shape: HelpdeskShape = { ...DOCUMENTED_SHAPE }
  private readonly helpdesks: Slot<Helpdesk>
  readonly routes: V2Route[] = [
    { operation: 'listTicketStatuses', handle: (context) => this.listStatuses(context) },
    { operation: 'listHelpdeskTeams', handle: (context) => this.listTeams(context) },
    { operation: 'createTicket', handle: (context) => this.create(context) },
    { operation: 'listTickets', handle: (context) => this.list(context) },
    { operation: 'searchTickets', handle: (context) => this.search(context) },
    { operation: 'getTicket', handle: (context) => this.get(context) },
    { operation: 'updateTicket', handle: (context) => this.update(context) },
    { operation: 'listTicketMessages', handle: (context) => this.messages(context) },
    { operation: 'createTicketMessage', handle: (context) => this.reply(context) },
  ]

  constructor(
    store: Store,
    private readonly agents: AgentsArea,
    private readonly conversations: AgentConversations
  ) {
    this.helpdesks = store.slot(() => newHelpdesk())
  }

  reset(): void {
    this.shape = { ...DOCUMENTED_SHAPE }
  }

  // What tests read and seed: a copy of the agent's helpdesk, and a ticket as if a customer or the widget made it
  helpdesk(agentId: string): { statuses: TicketStatus[]; teams: Team[]; tickets: StoredTicket[] } {
    const { statuses, teams, tickets } = this.helpdesks.known(agentId)
    return structuredClone({ statuses, teams, tickets })
  }

  addTicket(agentId: string, ticket: NewTicket): StoredTicket {
    const helpdesk = this.helpdesks.configured(agentId)
    const { statusCategory = 'new', customerEmail, customerName, messages = [], ...fields } = ticket
    const createdAt = ticket.createdAt ?? new Date().toISOString()
    const stored: StoredTicket = {
      ticketNumber: helpdesk.nextNumber++,
      subject: null,
      description: null,
      statusId: defaultStatus(helpdesk, statusCategory).id,
      assigneeId: null,
      customer: contactOf(helpdesk, customerEmail ?? `customer${helpdesk.nextNumber}@example.com`, customerName),
      metadata: {},
      channel: 'iframe',
      conversationId: null,
      teamId: null,
      priority: 'none',
      createdAt,
      updatedAt: createdAt,
      lastMessageAt: messages.length > 0 ? createdAt : null,
      messages: messages.map((message) => ({
        id: randomUUID(),
        type: 'reply',
        sender: null,
        content: null,
        contentText: null,
        attachments: [],
        createdAt,
        ...message,
      })),
      ...fields,
    }
    helpdesk.tickets.push(stored)
    return structuredClone(stored)
  }

  private helpdeskOf(agentId: string): Helpdesk {
    this.agents.known(agentId)
    return this.helpdesks.known(agentId)
  }

  private listStatuses({ params }: V2Context): V2Answer {
    const { statuses } = this.helpdeskOf(params.agentId!)
    return { status: 200, json: statuses.map((status) => this.statusView(status)) }
  }

  private listTeams({ params }: V2Context): V2Answer {
    const { teams } = this.helpdeskOf(params.agentId!)
    const views = teams.map(({ id, name, isDefault, members }) => ({
      id,
      name,
      isDefault,
      memberCount: members.length,
    }))
    return { status: 200, json: views }
  }

  private create({ params, json }: V2Context): V2Answer {
    const helpdesk = this.helpdeskOf(params.agentId!)
    const body = json as {
      subject: string
      description: string
      customer: { email: string; name?: string }
      statusId?: string
      statusCategory?: string
      assigneeId?: string | null
      assigneeEmail?: string
      teamId?: string
      priority?: string
    }
    eitherOr(body, 'statusId', 'statusCategory')
    eitherOr(body, 'assigneeId', 'assigneeEmail')
    const statusId = this.statusOf(helpdesk, body).id
    const teamId = body.teamId === undefined ? null : teamOf(helpdesk, body.teamId).id
    const assigneeId =
      assigneeOf(helpdesk, body) ??
      (teamId === null ? null : (helpdesk.teams.find((team) => team.id === teamId)!.members[0]?.id ?? null))
    const now = new Date().toISOString()
    const customer = contactOf(helpdesk, body.customer.email, body.customer.name)
    const ticket: StoredTicket = {
      ticketNumber: helpdesk.nextNumber++,
      subject: body.subject,
      description: body.description,
      statusId,
      assigneeId,
      customer,
      metadata: {},
      channel: 'api',
      conversationId: null,
      teamId,
      priority: body.priority ?? 'none',
      createdAt: now,
      updatedAt: now,
      lastMessageAt: now,
      messages: [
        {
          id: randomUUID(),
          type: 'reply',
          sender: { type: 'customer', id: customer.id, name: customer.name, email: customer.email },
          content: toHtml(body.description),
          contentText: body.description,
          attachments: [],
          createdAt: now,
        },
      ],
    }
    helpdesk.tickets.push(ticket)
    return { status: 201, json: this.ticketView(helpdesk, ticket, true) }
  }

  private list({ params, query }: V2Context): V2Answer {
    const helpdesk = this.helpdeskOf(params.agentId!)
    const categories = listOf(query.status, STATUS_CATEGORIES, 'status')
    // Channels are not checked: the spec lists no values for the filter, and Chatbase adds channels
    const channels = query.channel === undefined ? [] : query.channel.split(',')
    const priorities = listOf(query.priority, PRIORITIES, 'priority')
    const matchesId = (value: string | null, wanted: string | undefined) =>
      wanted === undefined || (wanted === 'none' ? value === null : value === wanted)
    const sortBy = (query.sortBy ?? 'updatedAt') as 'createdAt' | 'updatedAt' | 'lastMessageAt'
    const direction = query.order === 'asc' ? 1 : -1
    const sortKey = (ticket: StoredTicket) => ticket[sortBy] ?? ticket.createdAt
    const matching = helpdesk.tickets
      .filter(
        (ticket) =>
          (categories.length === 0 || categories.includes(categoryOf(helpdesk, ticket))) &&
          (channels.length === 0 || channels.includes(ticket.channel)) &&
          (priorities.length === 0 || priorities.includes(ticket.priority)) &&
          matchesId(ticket.assigneeId, query.assigneeId) &&
          matchesId(ticket.teamId, query.teamId) &&
          (query.createdAfter === undefined || Date.parse(ticket.createdAt) >= Date.parse(query.createdAfter)) &&
          (query.createdBefore === undefined || Date.parse(ticket.createdAt) <= Date.parse(query.createdBefore))
      )
      .sort((a, b) => direction * (sortKey(a).localeCompare(sortKey(b)) || a.ticketNumber - b.ticketNumber))
    // "A cursor is only valid for the sortBy/order it was issued with; changing either mid-walk is a 400": bound to
    // those and the filters, not to whether the total is counted
    const { includeTotal, ...walk } = query
    const { data, pagination } = pageOf(matching, query, queryKey(walk))
    const total = this.totalOf(matching.length, includeTotal === 'true')
    return {
      status: 200,
      json: {
        data: data.map((ticket) => this.ticketView(helpdesk, ticket, false)),
        pagination: { ...pagination, ...total },
      },
    }
  }

  // Every word must appear in a message or the subject; more hits rank higher; capped, never paginated
  private search({ params, json }: V2Context): V2Answer {
    const helpdesk = this.helpdeskOf(params.agentId!)
    const { query, limit = DEFAULT_SEARCH_LIMIT } = json as { query: string; limit?: number }
    const words = query.toLowerCase().split(/\s+/).filter(Boolean)
    const scored = helpdesk.tickets
      .map((ticket) => {
        const text = [ticket.subject ?? '', ...ticket.messages.map((message) => message.contentText ?? '')]
          .join('\n')
          .toLowerCase()
        const hits = words.map((word) => text.split(word).length - 1)
        return { ticket, score: hits.every((count) => count > 0) ? hits.reduce((a, b) => a + b, 0) : 0 }
      })
      .filter(({ score }) => score > 0)
      .sort((a, b) => b.score - a.score || b.ticket.ticketNumber - a.ticket.ticketNumber)
    const data = scored.slice(0, limit).map(({ ticket }) => this.ticketView(helpdesk, ticket, false))
    return { status: 200, json: { data, pagination: { cursor: null, hasMore: scored.length > limit } } }
  }

  private get({ params }: V2Context): V2Answer {
    const helpdesk = this.helpdeskOf(params.agentId!)
    return { status: 200, json: this.ticketView(helpdesk, ticketOf(helpdesk, params.ticketNumber!), true) }
  }

  // Validated together, then written; each change is an event of the thread
  private update({ params, json }: V2Context): V2Answer {
    const helpdesk = this.helpdeskOf(params.agentId!)
    const ticket = ticketOf(helpdesk, params.ticketNumber!)
    const body = json as {
      statusId?: string
      statusCategory?: string
      assigneeId?: string | null
      assigneeEmail?: string
      teamId?: string | null
      priority?: string
    }
    eitherOr(body, 'statusId', 'statusCategory')
    eitherOr(body, 'assigneeId', 'assigneeEmail')
    const status =
      body.statusId === undefined && body.statusCategory === undefined ? undefined : this.statusOf(helpdesk, body)
    const assigneeId = 'assigneeId' in body || body.assigneeEmail !== undefined ? assigneeOf(helpdesk, body) : undefined
    const teamId =
      body.teamId === undefined ? undefined : body.teamId === null ? null : teamOf(helpdesk, body.teamId).id
    const now = new Date().toISOString()
    const event = (eventType: string, extra: Record<string, unknown>) =>
      ticket.messages.push({
        id: randomUUID(),
        type: 'event',
        sender: null,
        content: null,
        contentText: null,
        attachments: [],
        createdAt: now,
        metadata: { eventType, doneBy: null, ...extra },
      })
    if (status && status.id !== ticket.statusId) {
      event('status_change', { statusFrom: null, statusTo: null })
      ticket.statusId = status.id
    }
    if (assigneeId !== undefined && assigneeId !== ticket.assigneeId) {
      event('assign', { assignedTo: null, assignedFrom: null })
      ticket.assigneeId = assigneeId
    }
    if (teamId !== undefined) ticket.teamId = teamId
    if (body.priority !== undefined) ticket.priority = body.priority
    ticket.updatedAt = now
    return { status: 200, json: this.ticketView(helpdesk, ticket, true) }
  }

  private messages({ params, query }: V2Context): V2Answer {
    const helpdesk = this.helpdeskOf(params.agentId!)
    const ticket = ticketOf(helpdesk, params.ticketNumber!)
    const types = query.types === undefined ? ['reply', 'note'] : listOf(query.types, MESSAGE_TYPES, 'types')
    const chosen = ticket.messages.filter((message) => types.includes(message.type))
    const ordered = query.order === 'desc' ? [...chosen].reverse() : chosen
    // "A cursor is only valid for the direction it was issued with"
    const { data, pagination } = pageOf(ordered, query, queryKey(query))
    return {
      status: 200,
      json: {
        data: data.map((message) => this.messageView(message)),
        pagination: { ...pagination, total: chosen.length },
      },
    }
  }

  private reply({ params, json }: V2Context): V2Answer {
    const helpdesk = this.helpdeskOf(params.agentId!)
    const ticket = ticketOf(helpdesk, params.ticketNumber!)
    const body = json as { type: 'reply'; content: string; authorId?: string; authorEmail?: string }
    if ((body.authorId === undefined) === (body.authorEmail === undefined)) {
      throw invalidBody({ authorId: 'Provide exactly one of authorId or authorEmail' })
    }
    if (ticket.conversationId !== null) {
      const conversation = this.conversations.anywhere(ticket.conversationId)
      if (conversation?.status !== 'taken_over') {
        throw new V2Error(409, 'CONVERSATION_NOT_TAKEN_OVER', 'The linked conversation is not taken over')
      }
    }
    const author = helpdesk.teams
      .flatMap((team) => team.members)
      .find((member) => member.id === body.authorId || member.email === body.authorEmail)
    if (!author) throw new V2Error(422, 'TEAM_MEMBER_NOT_FOUND', 'No team member matches the provided author')
    const html = toHtml(body.content)
    if (html === '') throw new V2Error(422, 'MESSAGE_CONTENT_NOT_RENDERABLE', 'The message content renders to nothing')
    const now = new Date().toISOString()
    const message: TicketMessage = {
      id: randomUUID(),
      type: 'reply',
      sender: { type: 'agent', ...author },
      content: html,
      contentText: body.content,
      attachments: [],
      createdAt: now,
    }
    ticket.messages.push(message)
    ticket.statusId = defaultStatus(helpdesk, 'on_customer').id
    ticket.updatedAt = now
    ticket.lastMessageAt = now
    const { id, type, sender, content, contentText, createdAt } = this.messageView(message)
    return { status: 201, json: { id, type, sender, content, contentText, createdAt } }
  }

  private statusOf(helpdesk: Helpdesk, body: { statusId?: string; statusCategory?: string }): TicketStatus {
    if (body.statusId === undefined) return defaultStatus(helpdesk, body.statusCategory ?? 'new')
    const status = helpdesk.statuses.find((candidate) => candidate.id === body.statusId)
    if (!status) throw new V2Error(422, 'TICKET_INVALID_STATUS', 'The requested status could not be applied')
    return status
  }

  private totalOf(count: number, asked: boolean): { total?: number } {
    const { total } = this.shape
    return total === 'always' || (total === 'when-asked' && asked) ? { total: count } : {}
  }

  private statusView(status: TicketStatus): TicketStatus {
    return this.shape.unknownEnums ? { ...status, category: UNKNOWN_ENUMS.category } : { ...status }
  }

  private ticketView(helpdesk: Helpdesk, ticket: StoredTicket, full: boolean) {
    const { messages: _messages, description, metadata, ...fields } = ticket
    const unknown = this.shape.unknownEnums
    const view = {
      ...fields,
      statusCategory: unknown ? UNKNOWN_ENUMS.category : categoryOf(helpdesk, ticket),
      channel: unknown ? UNKNOWN_ENUMS.channel : ticket.channel,
      priority: unknown ? UNKNOWN_ENUMS.priority : ticket.priority,
    }
    return full ? { ...view, description, metadata } : view
  }

  private messageView(message: TicketMessage): TicketMessage {
    const view = structuredClone(message)
    if (this.shape.unknownEnums && view.sender) view.sender.type = UNKNOWN_ENUMS.sender
    return view
  }
}

function defaultStatus(helpdesk: Helpdesk, category: string): TicketStatus {
  const status = helpdesk.statuses.find((candidate) => candidate.category === category && candidate.isDefault)
  if (!status) throw new Error(`No default status for category "${category}"`)
  return status
}

function categoryOf(helpdesk: Helpdesk, ticket: StoredTicket): string {
  return helpdesk.statuses.find((status) => status.id === ticket.statusId)?.category ?? 'new'
}

function ticketOf(helpdesk: Helpdesk, ticketNumber: string): StoredTicket {
  const ticket = helpdesk.tickets.find((candidate) => candidate.ticketNumber === Number(ticketNumber))
  if (!ticket) throw ticketNotFound()
  return ticket
}

function teamOf(helpdesk: Helpdesk, teamId: string): Team {
  const team = helpdesk.teams.find((candidate) => candidate.id === teamId)
  if (!team) throw new V2Error(422, 'TICKET_TEAM_NOT_FOUND', 'The requested team could not be found')
  return team
}

// The assignee a body names: null when it unassigns, undefined when it names none
function assigneeOf(helpdesk: Helpdesk, body: { assigneeId?: string | null; assigneeEmail?: string }) {
  if (body.assigneeId === null) return null
  if (body.assigneeId === undefined && body.assigneeEmail === undefined) return undefined
  const member = helpdesk.teams
    .flatMap((team) => team.members)
    .find((candidate) => candidate.id === body.assigneeId || candidate.email === body.assigneeEmail)
  if (!member) throw new V2Error(422, 'TICKET_TEAM_MEMBER_NOT_FOUND', 'The requested assignee could not be found')
  return member.id
}

// The spec says "or": both at once is refused like any invalid body
function eitherOr(body: Record<string, unknown>, first: string, second: string): void {
  if (body[first] !== undefined && body[second] !== undefined) {
    throw invalidBody({ [first]: `Provide either ${first} or ${second}, not both` })
  }
}

// The contact of an email, made on first use; a name is kept only for a new one
function contactOf(helpdesk: Helpdesk, email: string, name?: string): StoredTicket['customer'] {
  const key = email.toLowerCase()
  let contact = helpdesk.contacts.get(key)
  if (!contact) {
    contact = { id: randomUUID(), name: name ?? null, email, phoneNumber: null }
    helpdesk.contacts.set(key, contact)
  }
  return { ...contact }
}

function listOf(value: string | undefined, allowed: readonly string[], field: string): string[] {
  if (value === undefined) return []
  const values = value.split(',').map((item) => item.trim())
  const unknown = values.filter((item) => !allowed.includes(item))
  if (unknown.length > 0) throw invalidBody({ [field]: `Unknown value(s) ${unknown.join(', ')}` })
  return values
}

function pageOf<T>(items: T[], query: Record<string, string>, key: string) {
  const limit = query.limit === undefined ? DEFAULT_LIMIT : Number(query.limit)
  const offset = cursorOffset(query.cursor, key)
  const hasMore = offset + limit < items.length
  return {
    data: items.slice(offset, offset + limit),
    pagination: { cursor: hasMore ? encodeCursor(offset + limit, key) : null, hasMore },
  }
}

// GitHub-flavored Markdown as Chatbase stores it, simply: raw HTML stripped, then each paragraph escaped in <p>
function toHtml(markdown: string): string {
  const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  return markdown
    .replace(/<[^>]*>/g, '')
    .split(/\n{2,}/)
    .map((paragraph) => paragraph.trim())
    .filter(Boolean)
    .map((paragraph) => `<p>${escape(paragraph)}</p>`)
    .join('')
}

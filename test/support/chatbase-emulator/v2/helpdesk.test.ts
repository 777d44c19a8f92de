// The helpdesk (§7.7): statuses, teams, tickets, their search, updates, messages and replies. Answers are checked
// against the spec by the emulator.
import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { ChatbaseEmulator } from '../index'
import { CHATBOT, useEmulator, type Body } from '../self-test'

let emulator: ChatbaseEmulator
const { v2, takeViolations } = useEmulator((started) => (emulator = started))

const HELPDESK = `/agents/${CHATBOT}/helpdesk`
const TICKETS = `${HELPDESK}/tickets`
const GRACE = 'grace@example.com'
const numbers = (reply: { json: Body }) =>
  reply.json.data.map((ticket: { ticketNumber: number }) => ticket.ticketNumber)
const helpdesk = () => emulator.helpdesk(CHATBOT)
const memberId = (email: string) =>
  helpdesk()
    .teams.flatMap((team) => team.members)
    .find((member) => member.email === email)!.id
const newTicket = (extra: Record<string, unknown> = {}) => ({
  subject: 'Lost parcel',
  description: 'It never came.',
  customer: { email: 'jane@example.com', name: 'Jane' },
  ...extra,
})

describe('statuses and teams', () => {
  it('answers bare arrays: a default status per category, and teams with their member counts', async () => {
    const statuses = await v2('GET', `${HELPDESK}/ticket-statuses`)
    const teams = await v2('GET', `${HELPDESK}/teams`)

    expect(statuses.json.map((status: { category: string }) => status.category)).toEqual([
      'new',
      'on_you',
      'on_customer',
      'on_hold',
      'on_hold',
      'closed',
      'cancelled',
    ])
    expect(teams.json).toEqual([
      { id: expect.any(String), name: 'Support', isDefault: true, memberCount: 2 },
      { id: expect.any(String), name: 'Billing', isDefault: false, memberCount: 1 },
    ])
    const unknown = await v2('GET', `/agents/nobody/helpdesk/teams`)
    expect(unknown).toMatchObject({ status: 404, json: { error: { code: 'AGENT_NOT_FOUND' } } })
  })
})

describe('create', () => {
  it("answers 201 with the Ticket, the description as the customer's first reply, the contact reused by email", async () => {
    const first = await v2('POST', TICKETS, { body: newTicket({ priority: 'high' }) })
    const second = await v2('POST', TICKETS, {
      body: newTicket({ customer: { email: 'JANE@example.com', name: 'J' } }),
    })

    expect(first.status).toBe(201)
    expect(first.json).toMatchObject({
      ticketNumber: 1,
      subject: 'Lost parcel',
      description: 'It never came.',
      statusCategory: 'new',
      assigneeId: null,
      teamId: null,
      channel: 'api',
      priority: 'high',
      customer: { name: 'Jane', email: 'jane@example.com', phoneNumber: null },
    })
    expect(second.json).toMatchObject({ ticketNumber: 2, customer: { id: first.json.customer.id, name: 'Jane' } })
    expect(helpdesk().tickets[0]?.messages).toEqual([
      expect.objectContaining({
        type: 'reply',
        contentText: 'It never came.',
        sender: expect.objectContaining({ type: 'customer' }),
      }),
    ])
  })

  it('assigns within a team without an assignee, and refuses unknown statuses, members and teams', async () => {
    const billing = helpdesk().teams.find((team) => team.name === 'Billing')!
    const inTeam = await v2('POST', TICKETS, { body: newTicket({ teamId: billing.id }) })
    expect(inTeam.json).toMatchObject({ teamId: billing.id, assigneeId: billing.members[0]!.id })

    const status = await v2('POST', TICKETS, { body: newTicket({ statusId: randomUUID() }) })
    expect(status).toMatchObject({ status: 422, json: { error: { code: 'TICKET_INVALID_STATUS' } } })
    const member = await v2('POST', TICKETS, { body: newTicket({ assigneeEmail: 'nobody@example.com' }) })
    expect(member).toMatchObject({ status: 422, json: { error: { code: 'TICKET_TEAM_MEMBER_NOT_FOUND' } } })
    const team = await v2('POST', TICKETS, { body: newTicket({ teamId: randomUUID() }) })
    expect(team).toMatchObject({ status: 422, json: { error: { code: 'TICKET_TEAM_NOT_FOUND' } } })
    expect(helpdesk().tickets).toHaveLength(1)
  })

  it('refuses both fields of an either/or pair, and a body the spec refuses', async () => {
    const both = await v2('POST', TICKETS, { body: newTicket({ statusCategory: 'new', statusId: randomUUID() }) })
    expect(both).toMatchObject({ status: 400, json: { error: { code: 'VALIDATION_INVALID_BODY' } } })
    const noCustomer = await v2('POST', TICKETS, { body: { subject: 'x', description: 'y' } })
    expect(noCustomer).toMatchObject({ status: 400, json: { error: { code: 'VALIDATION_INVALID_BODY' } } })
    takeViolations()
  })
})

describe('list', () => {
  const seed = () =>
    ['2026-07-01T00:00:00.000Z', '2026-07-02T00:00:00.000Z', '2026-07-03T00:00:00.000Z'].map((createdAt, index) =>
      emulator.addTicket(CHATBOT, {
        createdAt,
        updatedAt: createdAt,
        priority: index === 1 ? 'urgent' : 'none',
        channel: index === 2 ? 'email' : 'iframe',
      })
    )

  it('sorts by updatedAt, newest first, and filters on every parameter', async () => {
    seed()
    expect(numbers(await v2('GET', TICKETS))).toEqual([3, 2, 1])
    expect(numbers(await v2('GET', TICKETS, { query: { sortBy: 'createdAt', order: 'asc' } }))).toEqual([1, 2, 3])
    expect(numbers(await v2('GET', TICKETS, { query: { priority: 'urgent,high' } }))).toEqual([2])
    expect(numbers(await v2('GET', TICKETS, { query: { channel: 'email' } }))).toEqual([3])
    expect(numbers(await v2('GET', TICKETS, { query: { assigneeId: 'none', teamId: 'none' } }))).toEqual([3, 2, 1])
    const window = { createdAfter: '2026-07-01T12:00:00Z', createdBefore: '2026-07-02T12:00:00Z' }
    expect(numbers(await v2('GET', TICKETS, { query: window }))).toEqual([2])
    const unknown = await v2('GET', TICKETS, { query: { status: 'open' } })
    expect(unknown).toMatchObject({ status: 400, json: { error: { code: 'VALIDATION_INVALID_BODY' } } })
  })

  it('pages with a cursor bound to the sort, with the total only when asked', async () => {
    seed()
    const first = await v2('GET', TICKETS, { query: { limit: '2' } })
    expect(first.json.pagination).toEqual({ cursor: expect.any(String), hasMore: true })
    const second = await v2('GET', TICKETS, { query: { cursor: first.json.pagination.cursor, includeTotal: 'true' } })
    expect(numbers(second)).toEqual([1])
    expect(second.json.pagination).toEqual({ cursor: null, hasMore: false, total: 3 })
    const resorted = await v2('GET', TICKETS, { query: { cursor: first.json.pagination.cursor, order: 'asc' } })
    expect(resorted).toMatchObject({ status: 400 })
    const counted = await v2('GET', TICKETS, { query: { includeTotal: 'true' } })
    expect(counted.json.pagination).toEqual({ cursor: null, hasMore: false, total: 3 })
  })

  it('sends the total always or never when switched', async () => {
    seed()
    emulator.setHelpdeskShape({ total: 'always' })
    expect((await v2('GET', TICKETS)).json.pagination.total).toBe(3)
    emulator.setHelpdeskShape({ total: 'never' })
    expect((await v2('GET', TICKETS, { query: { includeTotal: 'true' } })).json.pagination).not.toHaveProperty('total')
  })
})

describe('search, get and update', () => {
  it('searches the messages for every word, capped without a cursor', async () => {
    emulator.addTicket(CHATBOT, { messages: [{ contentText: 'parcel lost' }] })
    emulator.addTicket(CHATBOT, { messages: [{ contentText: 'parcel lost, parcel late' }] })
    emulator.addTicket(CHATBOT, { messages: [{ contentText: 'parcel' }] })
    const found = await v2('POST', `${TICKETS}/search`, { body: { query: 'parcel lost', limit: 1 } })
    expect(found.json).toEqual({
      data: [expect.objectContaining({ ticketNumber: 2 })],
      pagination: { cursor: null, hasMore: true },
    })
    expect(found.json.data[0]).not.toHaveProperty('description')
  })

  it('gets a ticket by number, 404 TICKET_NOT_FOUND otherwise', async () => {
    emulator.addTicket(CHATBOT, { subject: 'One' })
    expect((await v2('GET', `${TICKETS}/1`)).json).toMatchObject({ ticketNumber: 1, subject: 'One', metadata: {} })
    expect(await v2('GET', `${TICKETS}/2`)).toMatchObject({
      status: 404,
      json: { error: { code: 'TICKET_NOT_FOUND' } },
    })
  })

  it('updates what the body names, null clearing assignee and team, each change an event of the thread', async () => {
    const team = helpdesk().teams[0]!
    emulator.addTicket(CHATBOT, { assigneeId: memberId(GRACE), teamId: team.id })
    const updated = await v2('PATCH', `${TICKETS}/1`, {
      body: { statusCategory: 'closed', assigneeId: null, teamId: null, priority: 'low' },
    })
    expect(updated.json).toMatchObject({ statusCategory: 'closed', assigneeId: null, teamId: null, priority: 'low' })
    const events = await v2('GET', `${TICKETS}/1/messages`, { query: { types: 'event' } })
    expect(events.json.data.map((event: Body) => event.metadata.eventType)).toEqual(['status_change', 'assign'])
    const byEmail = await v2('PATCH', `${TICKETS}/1`, { body: { assigneeEmail: GRACE } })
    expect(byEmail.json.assigneeId).toBe(memberId(GRACE))
  })
})

describe('messages and replies', () => {
  it('lists replies and notes oldest first by default, events when asked, with a cursor bound to the order', async () => {
    emulator.addTicket(CHATBOT, {
      messages: [{ type: 'reply', contentText: 'a' }, { type: 'event' }, { type: 'note', contentText: 'b' }],
    })
    const all = await v2('GET', `${TICKETS}/1/messages`)
    expect(all.json.data.map((message: Body) => message.contentText)).toEqual(['a', 'b'])
    expect(all.json.pagination).toEqual({ cursor: null, hasMore: false, total: 2 })
    const page = await v2('GET', `${TICKETS}/1/messages`, { query: { order: 'desc', limit: '1' } })
    expect(page.json.data[0].contentText).toBe('b')
    const mixed = await v2('GET', `${TICKETS}/1/messages`, { query: { cursor: page.json.pagination.cursor } })
    expect(mixed).toMatchObject({ status: 400 })
  })

  it('records a reply by a team member, answers 201 with the sanitised HTML and moves the ticket to on_customer', async () => {
    emulator.addTicket(CHATBOT, {})
    const reply = await v2('POST', `${TICKETS}/1/messages`, {
      body: { type: 'reply', content: 'Hi <b>there</b>\n\nBye', authorEmail: GRACE },
    })
    expect(reply).toMatchObject({
      status: 201,
      json: { type: 'reply', content: '<p>Hi there</p><p>Bye</p>', contentText: 'Hi <b>there</b>\n\nBye' },
    })
    expect(reply.json.sender).toEqual({ type: 'agent', id: memberId(GRACE), name: 'Grace Hopper', email: GRACE })
    expect((await v2('GET', `${TICKETS}/1`)).json.statusCategory).toBe('on_customer')
  })

  it('refuses a reply on a conversation no human took over, an unknown author, and content that renders to nothing', async () => {
    const conversation = emulator.addAgentConversation(CHATBOT, { source: 'Widget or Iframe' })
    emulator.addTicket(CHATBOT, { conversationId: conversation.id })
    const body = { type: 'reply', content: 'Hi', authorEmail: GRACE }
    const notTaken = await v2('POST', `${TICKETS}/1/messages`, { body })
    expect(notTaken).toMatchObject({ status: 409, json: { error: { code: 'CONVERSATION_NOT_TAKEN_OVER' } } })
    emulator.setConversationStatus(conversation.id, 'taken_over')
    expect((await v2('POST', `${TICKETS}/1/messages`, { body })).status).toBe(201)

    const stranger = await v2('POST', `${TICKETS}/1/messages`, { body: { ...body, authorEmail: 'x@example.com' } })
    expect(stranger).toMatchObject({ status: 422, json: { error: { code: 'TEAM_MEMBER_NOT_FOUND' } } })
    const empty = await v2('POST', `${TICKETS}/1/messages`, { body: { ...body, content: '<br>' } })
    expect(empty).toMatchObject({ status: 422, json: { error: { code: 'MESSAGE_CONTENT_NOT_RENDERABLE' } } })
    const twoAuthors = await v2('POST', `${TICKETS}/1/messages`, { body: { ...body, authorId: memberId(GRACE) } })
    expect(twoAuthors).toMatchObject({ status: 400 })
  })
})

describe('unknown enum values', () => {
  it('shows values the spec does not list, which only the contract check objects to', async () => {
    emulator.addTicket(CHATBOT, {})
    emulator.setHelpdeskShape({ unknownEnums: true })
    const ticket = await v2('GET', `${TICKETS}/1`)
    expect(ticket.json).toMatchObject({ channel: 'telegram', statusCategory: 'escalated', priority: 'critical' })
    const statuses = await v2('GET', `${HELPDESK}/ticket-statuses`)
    expect(statuses.json[0].category).toBe('escalated')
    const violations = takeViolations()
    expect(violations.every((violation) => violation.endsWith('must be equal to one of the allowed values'))).toBe(true)
    expect(violations.map((violation) => violation.split(' ')[0])).toEqual(
      expect.arrayContaining(['getTicket', 'listTicketStatuses'])
    )
  })
})

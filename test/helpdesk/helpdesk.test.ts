import { randomUUID } from 'node:crypto'
import { beforeEach, describe, expect, it } from 'vitest'
import { EVERY_CARD, GRACE, newTicket } from './cards'
import { CHATBOT_ID, useHarness } from '../support/harness'

const h = useHarness()

const TICKETS = `/agents/${CHATBOT_ID}/helpdesk/tickets`

const v2Requests = () => h.chatbase.requests.filter((request) => request.api === 'v2')
const bodyOf = (index = 0) => JSON.parse(v2Requests()[index]?.body ?? 'null') as unknown
const helpdesk = () => h.chatbase.helpdesk(CHATBOT_ID)
const statusIdOf = (category: string, isDefault = true) =>
  helpdesk().statuses.find((status) => status.category === category && status.isDefault === isDefault)!.id
const teamIdOf = (name: string) => helpdesk().teams.find((team) => team.name === name)!.id
const memberIdOf = (email: string) =>
  helpdesk()
    .teams.flatMap((team) => team.members)
    .find((member) => member.email === email)!.id

describe('Create Ticket', () => {
  it("opens a ticket with v2's own fields and returns it as v2 names it", async () => {
    const result = await h.driver.callAction(
      'createTicket',
      newTicket({ customerName: 'Jane Doe', priority: 'high', statusCategory: 'on_you', teamId: teamIdOf('Billing') })
    )

    expect(bodyOf()).toEqual({
      subject: 'Refund for order 1042',
      description: 'The parcel never arrived.',
      customer: { email: 'jane@example.com', name: 'Jane Doe' },
      priority: 'high',
      statusCategory: 'on_you',
      teamId: teamIdOf('Billing'),
    })
    expect(result.output?.ticket).toEqual({
      ticketNumber: 1,
      subject: 'Refund for order 1042',
      description: 'The parcel never arrived.',
      statusCategory: 'on_you',
      statusId: statusIdOf('on_you'),
      // Billing's only member: without an assignee, a ticket is assigned within its team
      assigneeId: memberIdOf('alan@example.com'),
      customer: { id: expect.any(String), name: 'Jane Doe', email: 'jane@example.com' },
      metadata: {},
      channel: 'api',
      teamId: teamIdOf('Billing'),
      priority: 'high',
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      lastMessageAt: expect.any(String),
    })
    expect(helpdesk().tickets).toHaveLength(1)
  })

  it('assigns by email or by id, and puts the ticket in an exact status', async () => {
    const byEmail = await h.driver.callAction('createTicket', newTicket({ assigneeEmail: GRACE }))
    const byId = await h.driver.callAction(
      'createTicket',
      newTicket({ assigneeId: memberIdOf(GRACE), statusId: statusIdOf('on_hold', false) })
    )

    expect(byEmail.output?.ticket.assigneeId).toBe(memberIdOf(GRACE))
    expect(byId.output?.ticket).toMatchObject({
      assigneeId: memberIdOf(GRACE),
      statusId: statusIdOf('on_hold', false),
      statusCategory: 'on_hold',
    })
    expect(bodyOf(1)).toMatchObject({ assigneeId: memberIdOf(GRACE), statusId: statusIdOf('on_hold', false) })
  })

  it('refuses both fields of an either/or pair, naming them, and sends nothing', async () => {
    const result = await h.driver.callAction(
      'createTicket',
      newTicket({
        statusCategory: 'new',
        statusId: statusIdOf('new'),
        assigneeEmail: GRACE,
        assigneeId: memberIdOf(GRACE),
      })
    )

    expect(result.error?.message).toBe(
      'Invalid input for Create Ticket: statusCategory, statusId: give one of them, not both; assigneeEmail, assigneeId: give one of them, not both'
    )
    expect(v2Requests()).toHaveLength(0)
  })

  it('names the fields of bad input: email, unknown priority, long subject, ids that are not UUIDs', async () => {
    const result = await h.driver.callAction(
      'createTicket',
      newTicket({ customerEmail: 'jane', priority: 'asap', subject: 'x'.repeat(501), teamId: 'billing' })
    )

    expect(result.error?.message).toMatch(/^Invalid input for Create Ticket: /)
    for (const field of ['customerEmail', 'priority', 'subject', 'teamId']) {
      expect(result.error?.message).toContain(`${field}: `)
    }
    expect(v2Requests()).toHaveLength(0)
  })

  it('says what Chatbase refused: a status of another agent, an unknown assignee', async () => {
    const status = await h.driver.callAction('createTicket', newTicket({ statusId: randomUUID() }))
    const assignee = await h.driver.callAction('createTicket', newTicket({ assigneeEmail: 'nobody@example.com' }))

    expect(status.error?.message).toMatch(
      /^Could not create the ticket\. Chatbase answered with status 422: The requested status could not be applied\. Chatbase request ID: /
    )
    expect(assignee.error?.message).toContain('The requested assignee could not be found')
    expect(helpdesk().tickets).toHaveLength(0)
  })

  it('never sends a creation again after its answer was lost, and says how to find the ticket', async () => {
    h.chatbase.injectFault({ api: 'v2', method: 'POST', path: TICKETS, resetConnection: true, afterHandling: true })
    const result = await h.driver.callAction('createTicket', newTicket())

    expect(result.error?.message).toMatch(/^Could not create the ticket\. Could not reach Chatbase \(ECONNRESET\)/)
    expect(result.error?.message).toContain('Chatbase may have carried out the request anyway')
    expect(result.error?.message).toContain(
      'The ticket may exist: look for it with Search Tickets (its subject) or List Tickets sorted by createdAt before creating it again.'
    )
    expect(v2Requests()).toHaveLength(1)
    // It did exist: once
    expect(helpdesk().tickets).toHaveLength(1)

    const found = await h.driver.callAction('listTickets', { sortBy: 'createdAt', order: 'desc', limit: 1 })
    expect(found.output?.tickets[0]?.subject).toBe('Refund for order 1042')
  })

  it('does not add that advice when Chatbase refused the ticket outright', async () => {
    h.chatbase.injectFault({ api: 'v2', method: 'POST', path: TICKETS, status: 400 })
    const result = await h.driver.callAction('createTicket', newTicket())

    expect(result.error?.message).not.toContain('may exist')
  })
})

describe('List Tickets', () => {
  const seed = (count: number, overrides: (index: number) => Record<string, unknown> = () => ({})) =>
    Array.from({ length: count }, (_, index) =>
      h.chatbase.addTicket(CHATBOT_ID, {
        subject: `Ticket ${index + 1}`,
        createdAt: new Date(Date.UTC(2026, 6, 1, 0, index)).toISOString(),
        ...overrides(index),
      })
    )

  it('sends every filter under its v2 name, lists joined with commas', async () => {
    const teamId = teamIdOf('Support')
    await h.driver.callAction('listTickets', {
      status: ['new', 'on_you'],
      channel: ['email', 'whatsapp'],
      priority: ['high', 'urgent'],
      assigneeId: 'none',
      teamId,
      createdAfter: '2026-07-01T00:00:00Z',
      createdBefore: '2026-07-31T23:59:59Z',
      sortBy: 'createdAt',
      order: 'asc',
      includeTotal: true,
    })

    expect(v2Requests()[0]).toMatchObject({ method: 'GET', path: TICKETS })
    expect(v2Requests()[0]?.query).toEqual({
      status: 'new,on_you',
      channel: 'email,whatsapp',
      priority: 'high,urgent',
      assigneeId: 'none',
      teamId,
      createdAfter: '2026-07-01T00:00:00Z',
      createdBefore: '2026-07-31T23:59:59Z',
      sortBy: 'createdAt',
      order: 'asc',
      includeTotal: 'true',
    })
  })

  it('filters as asked: status, priority, channel, unassigned', async () => {
    seed(4, (index) => ({
      priority: index % 2 === 0 ? 'high' : 'low',
      channel: index < 2 ? 'email' : 'whatsapp',
      statusCategory: index === 3 ? 'closed' : 'new',
      assigneeId: index === 0 ? memberIdOf(GRACE) : null,
    }))
    const result = await h.driver.callAction('listTickets', {
      status: ['new'],
      priority: ['high'],
      channel: ['whatsapp'],
      assigneeId: 'none',
    })

    expect(result.output?.tickets.map((ticket: { subject: string }) => ticket.subject)).toEqual(['Ticket 3'])
  })

  it('reads one page with a cursor to continue, then the rest with it', async () => {
    seed(25)
    const first = await h.driver.callAction('listTickets', { sortBy: 'createdAt', order: 'asc' })

    expect(first.output?.tickets).toHaveLength(20)
    expect(first.output).toMatchObject({ hasMore: true, nextCursor: expect.any(String) })
    expect(first.output?.total).toBeUndefined()
    expect(v2Requests()[0]?.query).not.toHaveProperty('limit')

    const rest = await h.driver.callAction('listTickets', {
      sortBy: 'createdAt',
      order: 'asc',
      cursor: first.output?.nextCursor,
    })
    expect(rest.output?.tickets.map((ticket: { subject: string }) => ticket.subject)).toEqual(
      ['21', '22', '23', '24', '25'].map((n) => `Ticket ${n}`)
    )
    expect(rest.output).toMatchObject({ hasMore: false })
    expect(rest.output?.nextCursor).toBeUndefined()
  })

  it('reads every page up to a Limit, in pages of at most 100, with the total when asked', async () => {
    seed(130)
    const result = await h.driver.callAction('listTickets', { limit: 150, includeTotal: true })

    expect(result.output?.tickets).toHaveLength(130)
    expect(result.output).toMatchObject({ hasMore: false, total: 130 })
    expect(v2Requests().map((request) => request.query.limit)).toEqual(['100', '100'])
  })

  it('stops at a page boundary once the Limit is reached, with the cursor of what follows', async () => {
    seed(12)
    const result = await h.driver.callAction('listTickets', { limit: 5 })

    expect(result.output?.tickets).toHaveLength(5)
    expect(result.output).toMatchObject({ hasMore: true, nextCursor: expect.any(String) })
    expect(v2Requests()).toHaveLength(1)
  })

  it.each([
    ['always', false, 3],
    ['never', true, undefined],
  ] as const)('takes a total sent %s, asked %s', async (total, includeTotal, expected) => {
    h.chatbase.setHelpdeskShape({ total })
    seed(3)
    const result = await h.driver.callAction('listTickets', { includeTotal })

    expect(result.output?.tickets).toHaveLength(3)
    expect(result.output?.total).toBe(expected)
  })

  it('refuses an unknown status, a filter that is neither an id nor "none", and a bad date', async () => {
    const result = await h.driver.callAction('listTickets', {
      status: ['open'],
      assigneeId: 'grace',
      createdAfter: '2026-07-01',
    })

    expect(result.error?.message).toMatch(/^Invalid input for List Tickets: /)
    expect(result.error?.message).toContain('status.0: ')
    expect(result.error?.message).toContain('assigneeId: must be an id (a UUID) or "none"')
    expect(result.error?.message).toContain('createdAfter: ')
    expect(v2Requests()).toHaveLength(0)
  })
})

describe('Search Tickets', () => {
  beforeEach(() => {
    h.chatbase.addTicket(CHATBOT_ID, {
      subject: 'Parcel',
      messages: [{ contentText: 'My parcel is lost, the parcel never came' }],
    })
    h.chatbase.addTicket(CHATBOT_ID, { subject: 'Refund', messages: [{ contentText: 'Where is my parcel refund?' }] })
    h.chatbase.addTicket(CHATBOT_ID, { subject: 'Login', messages: [{ contentText: 'I cannot log in' }] })
  })

  it('finds tickets by the words of their messages, best first, with its query and limit as v2 names them', async () => {
    const result = await h.driver.callAction('searchTickets', { query: 'parcel' })

    expect(v2Requests()[0]).toMatchObject({ method: 'POST', path: `${TICKETS}/search` })
    expect(bodyOf()).toEqual({ query: 'parcel', limit: 20 })
    expect(result.output?.tickets.map((ticket: { subject: string }) => ticket.subject)).toEqual(['Parcel', 'Refund'])
    expect(result.output?.hasMore).toBe(false)
  })

  it('says more matched than the Limit let through, without a cursor', async () => {
    const result = await h.driver.callAction('searchTickets', { query: 'parcel', limit: 1 })

    expect(result.output).toEqual({ tickets: [expect.objectContaining({ subject: 'Parcel' })], hasMore: true })
  })

  it('refuses an empty query and a Limit over 50', async () => {
    const result = await h.driver.callAction('searchTickets', { query: '', limit: 51 })

    expect(result.error?.message).toContain('query: ')
    expect(result.error?.message).toContain('limit: Number must be less than or equal to 50')
  })
})

describe('Get Ticket', () => {
  it('reads a ticket by its number, with its description and metadata', async () => {
    const { ticketNumber } = h.chatbase.addTicket(CHATBOT_ID, {
      subject: 'Broken link',
      description: 'The link in the email is broken.',
      metadata: { orderId: '1042' },
      channel: 'email',
    })
    const result = await h.driver.callAction('getTicket', { ticketNumber })

    expect(v2Requests()[0]?.path).toBe(`${TICKETS}/${ticketNumber}`)
    expect(result.output?.ticket).toMatchObject({
      ticketNumber,
      subject: 'Broken link',
      description: 'The link in the email is broken.',
      metadata: { orderId: '1042' },
      channel: 'email',
      statusCategory: 'new',
    })
    // v2's nulls are left out
    expect(result.output?.ticket).not.toHaveProperty('assigneeId')
  })

  it('names the ticket Chatbase did not find', async () => {
    const result = await h.driver.callAction('getTicket', { ticketNumber: 99 })

    expect(result.error?.message).toMatch(
      new RegExp(
        `^Could not get ticket 99\\. Chatbase found no ticket 99 of AI agent "${CHATBOT_ID}" \\(404\\): The requested ticket could not be found\\.`
      )
    )
  })

  it('refuses a ticket number that is not a positive whole number', async () => {
    const result = await h.driver.callAction('getTicket', { ticketNumber: 0 })

    expect(result.error?.message).toContain('ticketNumber: Number must be greater than or equal to 1')
  })
})

describe('Update Ticket', () => {
  let ticketNumber: number
  beforeEach(() => {
    ;({ ticketNumber } = h.chatbase.addTicket(CHATBOT_ID, {
      subject: 'To triage',
      assigneeId: memberIdOf(GRACE),
      teamId: teamIdOf('Support'),
    }))
  })

  it('changes status, assignee, team and priority, sending only those fields', async () => {
    const result = await h.driver.callAction('updateTicket', {
      ticketNumber,
      statusCategory: 'on_hold',
      assigneeEmail: 'alan@example.com',
      teamId: teamIdOf('Billing'),
      priority: 'urgent',
    })

    expect(v2Requests()[0]).toMatchObject({ method: 'PATCH', path: `${TICKETS}/${ticketNumber}` })
    expect(bodyOf()).toEqual({
      statusCategory: 'on_hold',
      assigneeEmail: 'alan@example.com',
      teamId: teamIdOf('Billing'),
      priority: 'urgent',
    })
    expect(result.output?.ticket).toMatchObject({
      statusCategory: 'on_hold',
      assigneeId: memberIdOf('alan@example.com'),
      teamId: teamIdOf('Billing'),
      priority: 'urgent',
    })
  })

  it('clears the assignee and the team with null when Clear Assignee and Clear Team are on', async () => {
    const result = await h.driver.callAction('updateTicket', { ticketNumber, clearAssignee: true, clearTeam: true })

    expect(bodyOf()).toEqual({ assigneeId: null, teamId: null })
    expect(result.output?.ticket).not.toHaveProperty('assigneeId')
    expect(result.output?.ticket).not.toHaveProperty('teamId')
    expect(helpdesk().tickets[0]).toMatchObject({ assigneeId: null, teamId: null })
  })

  it('refuses an assignee or team together with clearing it, and both of a pair, naming the fields', async () => {
    const result = await h.driver.callAction('updateTicket', {
      ticketNumber,
      clearAssignee: true,
      assigneeEmail: GRACE,
      clearTeam: true,
      teamId: teamIdOf('Billing'),
      statusCategory: 'closed',
      statusId: statusIdOf('closed'),
    })

    expect(result.error?.message).toBe(
      'Invalid input for Update Ticket: statusCategory, statusId: give one of them, not both; clearAssignee, assigneeEmail: give one of them, not both; clearTeam, teamId: give one of them, not both'
    )
    expect(v2Requests()).toHaveLength(0)
  })

  it('refuses an update that changes nothing', async () => {
    const result = await h.driver.callAction('updateTicket', { ticketNumber })

    expect(result.error?.message).toContain('nothing to change')
    expect(v2Requests()).toHaveLength(0)
  })

  it('says which team Chatbase could not find', async () => {
    const result = await h.driver.callAction('updateTicket', { ticketNumber, teamId: randomUUID() })

    expect(result.error?.message).toMatch(
      new RegExp(`^Could not update ticket ${ticketNumber}\\. .*422: The requested team could not be found`)
    )
  })
})

describe('Reply To Ticket', () => {
  it('sends a Markdown reply as a team member, by email, and returns it as recorded', async () => {
    const { ticketNumber } = h.chatbase.addTicket(CHATBOT_ID, { subject: 'Question' })
    const result = await h.driver.callAction('replyToTicket', {
      ticketNumber,
      content: 'Your parcel **ships today**.',
      authorEmail: GRACE,
    })

    expect(v2Requests()[0]).toMatchObject({ method: 'POST', path: `${TICKETS}/${ticketNumber}/messages` })
    expect(bodyOf()).toEqual({ type: 'reply', content: 'Your parcel **ships today**.', authorEmail: GRACE })
    expect(result.output?.message).toEqual({
      id: expect.any(String),
      type: 'reply',
      sender: { type: 'agent', id: memberIdOf(GRACE), name: 'Grace Hopper', email: GRACE },
      content: '<p>Your parcel **ships today**.</p>',
      contentText: 'Your parcel **ships today**.',
      createdAt: expect.any(String),
    })
  })

  it('replies by author id', async () => {
    const { ticketNumber } = h.chatbase.addTicket(CHATBOT_ID, {})
    const result = await h.driver.callAction('replyToTicket', {
      ticketNumber,
      content: 'Done.',
      authorId: memberIdOf(GRACE),
    })

    expect(bodyOf()).toEqual({ type: 'reply', content: 'Done.', authorId: memberIdOf(GRACE) })
    expect(result.output?.message.sender.email).toBe(GRACE)
  })

  it('says to take the conversation over first when no human has, and replies once someone has', async () => {
    const conversation = h.chatbase.addAgentConversation(CHATBOT_ID, {
      source: 'Widget or Iframe',
      messages: [{ role: 'user', text: 'I want a person' }],
    })
    const { ticketNumber } = h.chatbase.addTicket(CHATBOT_ID, { conversationId: conversation.id, channel: 'iframe' })
    const before = await h.driver.callAction('replyToTicket', { ticketNumber, content: 'Hello', authorEmail: GRACE })

    expect(before.error?.message).toMatch(
      new RegExp(
        `^Could not reply to ticket ${ticketNumber}\\. Chatbase refused the change \\(409\\): The linked conversation is not taken over\\..*take the conversation over in Chatbase \\(Inbox\\) first, then reply\\.$`
      )
    )
    expect(before.error?.message).not.toContain('may have been recorded')

    h.chatbase.setConversationStatus(conversation.id, 'taken_over')
    const after = await h.driver.callAction('replyToTicket', { ticketNumber, content: 'Hello', authorEmail: GRACE })
    expect(after.output?.message.contentText).toBe('Hello')
  })

  it('refuses both authors and no author, naming the fields', async () => {
    const both = await h.driver.callAction('replyToTicket', {
      ticketNumber: 1,
      content: 'Hi',
      authorEmail: GRACE,
      authorId: memberIdOf(GRACE),
    })
    const none = await h.driver.callAction('replyToTicket', { ticketNumber: 1, content: 'Hi' })

    expect(both.error?.message).toBe(
      'Invalid input for Reply To Ticket: authorEmail, authorId: give one of them, not both'
    )
    expect(none.error?.message).toBe(
      'Invalid input for Reply To Ticket: authorEmail, authorId: give one of them, the team member the reply is from'
    )
    expect(v2Requests()).toHaveLength(0)
  })

  it('never sends a reply again after its answer was lost, and says where to look', async () => {
    const { ticketNumber } = h.chatbase.addTicket(CHATBOT_ID, {})
    h.chatbase.injectFault({ api: 'v2', method: 'POST', path: `${TICKETS}/${ticketNumber}/messages`, status: 502 })
    const result = await h.driver.callAction('replyToTicket', { ticketNumber, content: 'Hi', authorEmail: GRACE })

    expect(result.error?.message).toContain(
      'The reply may have been recorded: look for it with List Ticket Messages (order desc) before sending it again.'
    )
    expect(v2Requests()).toHaveLength(1)
  })

  it('says which author Chatbase does not know', async () => {
    const { ticketNumber } = h.chatbase.addTicket(CHATBOT_ID, {})
    const result = await h.driver.callAction('replyToTicket', {
      ticketNumber,
      content: 'Hi',
      authorEmail: 'stranger@example.com',
    })

    expect(result.error?.message).toContain('422: No team member matches the provided author')
  })
})

describe('List Ticket Messages', () => {
  let ticketNumber: number
  beforeEach(async () => {
    ;({ ticketNumber } = h.chatbase.addTicket(CHATBOT_ID, {
      messages: [
        { type: 'reply', contentText: 'First', sender: { type: 'customer', id: null, name: 'Jane', email: null } },
        { type: 'note', contentText: 'Internal' },
        { type: 'event', metadata: { eventType: 'status_change' } },
        { type: 'reply', contentText: 'Last' },
      ],
    }))
  })

  it('reads replies and notes, oldest first, by default', async () => {
    const result = await h.driver.callAction('listTicketMessages', { ticketNumber })

    expect(v2Requests()[0]?.query).toEqual({ types: 'reply,note', order: 'asc' })
    expect(result.output?.messages.map((message: { contentText?: string }) => message.contentText)).toEqual([
      'First',
      'Internal',
      'Last',
    ])
    expect(result.output?.messages[0]).toMatchObject({
      type: 'reply',
      sender: { type: 'customer', name: 'Jane' },
      attachments: [],
    })
    expect(result.output).toMatchObject({ hasMore: false, total: 3 })
  })

  it('reads events when asked, newest first', async () => {
    const result = await h.driver.callAction('listTicketMessages', {
      ticketNumber,
      types: ['event', 'reply'],
      order: 'desc',
    })

    expect(result.output?.messages.map((message: { type: string }) => message.type)).toEqual([
      'reply',
      'event',
      'reply',
    ])
    expect(result.output?.messages[1]).toMatchObject({ metadata: { eventType: 'status_change' } })
    expect(result.output?.messages[1]).not.toHaveProperty('sender')
  })

  it('reads up to a Limit and continues with the cursor', async () => {
    const first = await h.driver.callAction('listTicketMessages', { ticketNumber, limit: 2 })
    const rest = await h.driver.callAction('listTicketMessages', { ticketNumber, cursor: first.output?.nextCursor })

    expect(first.output?.messages).toHaveLength(2)
    expect(first.output?.hasMore).toBe(true)
    expect(rest.output?.messages.map((message: { contentText?: string }) => message.contentText)).toEqual(['Last'])
  })
})

describe('List Ticket Statuses and List Helpdesk Teams', () => {
  it('reads the bare arrays v2 answers, under statuses and teams', async () => {
    const statuses = await h.driver.callAction('listTicketStatuses', {})
    const teams = await h.driver.callAction('listHelpdeskTeams', {})

    expect(v2Requests().map((request) => request.path)).toEqual([
      `/agents/${CHATBOT_ID}/helpdesk/ticket-statuses`,
      `/agents/${CHATBOT_ID}/helpdesk/teams`,
    ])
    expect(statuses.output?.statuses).toHaveLength(7)
    expect(statuses.output?.statuses[0]).toEqual({
      id: statusIdOf('new'),
      category: 'new',
      externalLabel: 'new',
      internalLabel: 'new',
      isDefault: true,
      position: 0,
    })
    expect(teams.output?.teams).toEqual([
      { id: teamIdOf('Support'), name: 'Support', isDefault: true, memberCount: 2 },
      { id: teamIdOf('Billing'), name: 'Billing', isDefault: false, memberCount: 1 },
    ])
  })

  it('names the AI agent Chatbase does not know', async () => {
    const result = await h.driver.callAction('listHelpdeskTeams', { chatbotId: 'other-agent' })

    expect(result.error?.message).toMatch(
      /^Could not list the helpdesk teams\. Chatbase found no AI agent "other-agent" \(404\): Agent not found\./
    )
  })
})

/* Chatbase adds channels, status categories, priorities and sender types: every card reads values the spec does not list. */
describe('Chatbase answering with enum values the spec does not list', () => {
  beforeEach(() => {
    const sender = { type: 'customer', id: null, name: 'Jane', email: null }
    h.chatbase.addTicket(CHATBOT_ID, {
      subject: 'parcel',
      messages: [{ type: 'reply', contentText: 'parcel', sender }],
    })
    h.chatbase.setHelpdeskShape({ unknownEnums: true })
  })

  it.each(EVERY_CARD)('%s reads them as text', async (action, input) => {
    const result = await h.driver.callAction(action, input)

    expect(result.error).toBeUndefined()
    const output = JSON.stringify(result.output)
    if (['createTicket', 'getTicket', 'updateTicket', 'listTickets', 'searchTickets'].includes(action)) {
      expect(output).toContain('"channel":"telegram"')
      expect(output).toContain('"statusCategory":"escalated"')
      expect(output).toContain('"priority":"critical"')
    }
    if (action === 'listTicketStatuses') expect(output).toContain('"category":"escalated"')
    if (action === 'replyToTicket' || action === 'listTicketMessages') expect(output).toContain('"type":"bot"')
    // Off the spec on purpose: its enums are all these answers break, and the test takes them so the harness passes
    const violations = h.chatbase.contractViolations()
    expect(violations.every((violation) => violation.endsWith('must be equal to one of the allowed values'))).toBe(true)
    h.chatbase.reset()
  })
})

/* v2's own faults, each card: the rate-limit reset in either unit Chatbase's sources give, and maintenance. */
describe('API v2 faults', () => {
  beforeEach(() => {
    h.chatbase.addTicket(CHATBOT_ID, { subject: 'parcel', messages: [{ type: 'reply', contentText: 'parcel' }] })
  })

  // When the window resets, as the docs write it (epoch milliseconds) and as the spec does (epoch seconds)
  const RESET_AT = {
    ms: (now: number) => ({ header: String(now + 300), atMs: now + 300 }),
    s: (now: number) => ({ header: String(Math.ceil(now / 1000) + 1), atMs: (Math.ceil(now / 1000) + 1) * 1000 }),
  }

  describe.each(['ms', 's'] as const)('a 429 whose X-RateLimit-Reset is in %s', (unit) => {
    it.each(EVERY_CARD)('%s waits until the reset, then succeeds', async (action, input) => {
      const started = Date.now()
      const reset = RESET_AT[unit](started)
      h.chatbase.injectFault({ api: 'v2', status: 429, headers: { 'x-ratelimit-reset': reset.header } })
      const result = await h.driver.callAction(action, input)
      const ended = Date.now()

      expect(result.error).toBeUndefined()
      expect(v2Requests()).toHaveLength(2)
      // Sent again once the window reset: not at once, and not much later
      expect(ended).toBeGreaterThanOrEqual(reset.atMs - 50)
      expect(ended - reset.atMs).toBeLessThan(1_500)
    })
  })

  it.each(EVERY_CARD)(
    '%s is sent again after maintenance, which Chatbase rejects before acting',
    async (action, input) => {
      h.chatbase.injectFault({ api: 'v2', status: 503 })
      const result = await h.driver.callAction(action, input)

      expect(result.error).toBeUndefined()
      expect(v2Requests()).toHaveLength(2)
      expect(helpdesk().tickets).toHaveLength(action === 'createTicket' ? 2 : 1)
    }
  )
})

/* What several helpdesk test files share: a team member of the emulator's helpdesk, and every card with an input. */

export const GRACE = 'grace@example.com'

export const newTicket = (overrides: Record<string, unknown> = {}) => ({
  subject: 'Refund for order 1042',
  description: 'The parcel never arrived.',
  customerEmail: 'jane@example.com',
  ...overrides,
})

/** Every helpdesk card, with an input that works on a fresh helpdesk holding ticket 1. */
export const EVERY_CARD: [string, Record<string, unknown>][] = [
  ['createTicket', newTicket()],
  ['listTickets', {}],
  ['searchTickets', { query: 'parcel' }],
  ['getTicket', { ticketNumber: 1 }],
  ['updateTicket', { ticketNumber: 1, priority: 'low' }],
  ['replyToTicket', { ticketNumber: 1, content: 'Hi', authorEmail: GRACE }],
  ['listTicketMessages', { ticketNumber: 1 }],
  ['listTicketStatuses', {}],
  ['listHelpdeskTeams', {}],
]

import { HelpdeskApi, type ReplyAuthor, type TicketChanges } from '../chatbase/v2/helpdesk'
import type { CursorPage } from '../chatbase/v2/shared'
import { HELPDESK_MAX_PAGE_SIZE, helpdeskActions } from '../definitions/actions/helpdesk'
import type { Configuration } from '../definitions/configuration'
import { collectCursorPages } from './shared/cursor-paging'
import { implement } from './shared/implement'
import { onV2Only } from './shared/on-v2'
import { commaList, refuseProblems } from './shared/input'

type Card = keyof typeof helpdeskActions
type Props = { configuration: Configuration }

/**
 * Runs a helpdesk card on API v2, its only API: on a plan without v2 it fails, naming the plan it needs. `work` gets
 * the helpdesk of the card's AI agent.
 */
const onHelpdesk = <T>(
  name: Card,
  { configuration }: Props,
  chatbotId: string | undefined,
  work: (helpdesk: HelpdeskApi, agentId: string) => Promise<T>
): Promise<T> =>
  onV2Only(
    { name, title: helpdeskActions[name].title },
    { configuration, input: { chatbotId } },
    ({ transport, agentId }) => work(new HelpdeskApi(transport), agentId)
  )

/** "Give one of them, not both", for v2's either/or fields. */
const bothGiven = (input: Record<string, unknown>, pairs: [string, string][]): string[] =>
  pairs
    .filter(([first, second]) => input[first] !== undefined && input[second] !== undefined)
    .map(([first, second]) => `${first}, ${second}: give one of them, not both`)

/**
 * One page, or every page up to the Limit, with the total of the first page when Chatbase gives one. Pages are as
 * large as the Limit needs, up to the largest; without a Limit, Chatbase's own page size is used.
 */
const readList = async <T>(
  cursor: string | undefined,
  limit: number | undefined,
  readPage: (cursor: string | undefined, pageSize: number | undefined) => Promise<CursorPage<T>>
) => {
  const pageSize = limit === undefined ? undefined : Math.min(limit, HELPDESK_MAX_PAGE_SIZE)
  let total: number | undefined
  const read = await collectCursorPages(cursor, limit, pageSize ?? HELPDESK_MAX_PAGE_SIZE, async (at) => {
    const page = await readPage(at, pageSize)
    total ??= page.total
    return page
  })
  return { ...read, total }
}

export default implement(helpdeskActions)({
  createTicket: async (props) => {
    const { subject, description, customerEmail, customerName, chatbotId, ...choices } = props.input
    refuseProblems(
      helpdeskActions.createTicket,
      bothGiven(choices, [
        ['statusCategory', 'statusId'],
        ['assigneeEmail', 'assigneeId'],
      ])
    )
    const customer = { email: customerEmail, ...(customerName !== undefined && { name: customerName }) }
    return onHelpdesk('createTicket', props, chatbotId, async (helpdesk, agentId) => ({
      ticket: await helpdesk.createTicket(agentId, { subject, description, customer, ...choices }),
    }))
  },

  listTickets: async (props) => {
    const { status, channel, priority, includeTotal, cursor, limit, chatbotId, ...filters } = props.input
    return onHelpdesk('listTickets', props, chatbotId, async (helpdesk, agentId) => {
      const read = await readList(cursor, limit, (at, pageSize) =>
        helpdesk.listTicketsPage(agentId, {
          ...filters,
          status: commaList(status),
          channel: commaList(channel),
          priority: commaList(priority),
          includeTotal: String(includeTotal),
          limit: pageSize,
          cursor: at,
        })
      )
      return { tickets: read.items, hasMore: read.hasMore, nextCursor: read.nextCursor, total: read.total }
    })
  },

  searchTickets: async (props) => {
    const { query, limit, chatbotId } = props.input
    return onHelpdesk('searchTickets', props, chatbotId, async (helpdesk, agentId) => {
      const found = await helpdesk.searchTickets(agentId, { query, limit })
      return { tickets: found.items, hasMore: found.hasMore }
    })
  },

  getTicket: async (props) => {
    const { ticketNumber, chatbotId } = props.input
    return onHelpdesk('getTicket', props, chatbotId, async (helpdesk, agentId) => ({
      ticket: await helpdesk.getTicket(agentId, ticketNumber),
    }))
  },

  updateTicket: async (props) => {
    const { ticketNumber, clearAssignee, clearTeam, chatbotId, ...fields } = props.input
    const changes: TicketChanges = {
      ...fields,
      ...(clearAssignee && { assigneeId: null }),
      ...(clearTeam && { teamId: null }),
    }
    const clears = { clearAssignee: clearAssignee || undefined, clearTeam: clearTeam || undefined }
    refuseProblems(helpdeskActions.updateTicket, [
      ...bothGiven({ ...fields, ...clears }, [
        ['statusCategory', 'statusId'],
        ['assigneeEmail', 'assigneeId'],
        ['clearAssignee', 'assigneeEmail'],
        ['clearAssignee', 'assigneeId'],
        ['clearTeam', 'teamId'],
      ]),
      ...(Object.keys(changes).length === 0
        ? ['input: nothing to change: give a status, an assignee, a team or a priority, or clear the assignee or team']
        : []),
    ])
    return onHelpdesk('updateTicket', props, chatbotId, async (helpdesk, agentId) => ({
      ticket: await helpdesk.updateTicket(agentId, ticketNumber, changes),
    }))
  },

  replyToTicket: async (props) => {
    const { ticketNumber, content, authorEmail, authorId, chatbotId } = props.input
    refuseProblems(helpdeskActions.replyToTicket, [
      ...bothGiven({ authorEmail, authorId }, [['authorEmail', 'authorId']]),
      ...(authorEmail === undefined && authorId === undefined
        ? ['authorEmail, authorId: give one of them, the team member the reply is from']
        : []),
    ])
    const author: ReplyAuthor = authorId === undefined ? { authorEmail: authorEmail! } : { authorId }
    return onHelpdesk('replyToTicket', props, chatbotId, async (helpdesk, agentId) => ({
      message: await helpdesk.replyToTicket(agentId, ticketNumber, { content, ...author }),
    }))
  },

  listTicketMessages: async (props) => {
    const { ticketNumber, types, order, cursor, limit, chatbotId } = props.input
    return onHelpdesk('listTicketMessages', props, chatbotId, async (helpdesk, agentId) => {
      const read = await readList(cursor, limit, (at, pageSize) =>
        helpdesk.listMessagesPage(agentId, ticketNumber, {
          types: commaList(types),
          order,
          limit: pageSize,
          cursor: at,
        })
      )
      return { messages: read.items, hasMore: read.hasMore, nextCursor: read.nextCursor, total: read.total }
    })
  },

  listTicketStatuses: async (props) =>
    onHelpdesk('listTicketStatuses', props, props.input.chatbotId, async (helpdesk, agentId) => ({
      statuses: await helpdesk.listTicketStatuses(agentId),
    })),

  listHelpdeskTeams: async (props) =>
    onHelpdesk('listHelpdeskTeams', props, props.input.chatbotId, async (helpdesk, agentId) => ({
      teams: await helpdesk.listTeams(agentId),
    })),
})

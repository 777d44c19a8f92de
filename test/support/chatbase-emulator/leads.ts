// What a chatbot collected: the leads of its lead form (get-leads) and the conversations on its dashboard
// (get-conversations), which /chat calls with a conversationId save and tests add.
import { randomUUID } from 'node:crypto'
import type { Answer, Context, Route } from './server'
import {
  CONVERSATION_SOURCES,
  type ConversationMessage,
  type ConversationSource,
  type Slot,
  type Store,
  type StoredConversation,
} from './store'
import { integerParam, invalid, type Issue, type Json } from './validation'

export type StoredLead = {
  id: number
  created_at: string // ISO 8601
  chatbot_owner_user_id: string
  chatbot_id: string
  phone: string | null
  email: string | null
  name: string | null
}

// What a test gives addLead and addConversation
export type NewLead = { name?: string | null; email?: string | null; phone?: string | null; createdAt?: string }
export type NewConversation = {
  id?: string
  source?: ConversationSource
  createdAt?: string
  messages: ConversationMessage[]
}

// get-leads reports the chatbot owner's user id; the emulator has a single account
const OWNER_USER_ID = 'emulator-owner'
const MAX_CONVERSATIONS_PAGE_SIZE = 100
const DEFAULT_PAGE_SIZE = 10

export class LeadsArea {
  private readonly leads: Slot<StoredLead[]>
  private nextLeadId = 1
  readonly routes: Route[] = [
    { method: 'GET', path: '/get-leads', handle: (context) => this.getLeads(context) },
    { method: 'GET', path: '/get-conversations', handle: (context) => this.getConversations(context) },
  ]

  constructor(private readonly store: Store) {
    this.leads = store.slot(() => [])
  }

  addConversation(chatbotId: string, conversation: NewConversation): StoredConversation {
    this.store.configured(chatbotId)
    const createdAt = addedAt('Conversation', conversation.createdAt)
    const source = conversation.source ?? 'Unspecified'
    if (!(CONVERSATION_SOURCES as readonly string[]).includes(source)) {
      throw new Error(`Conversation source "${source}" is not one of ${CONVERSATION_SOURCES.join(', ')}`)
    }
    const stored: StoredConversation = {
      id: conversation.id ?? randomUUID(),
      created_at: createdAt,
      messages: conversation.messages.map(({ role, content }) => ({ role, content })),
      chatbot_id: chatbotId,
      customer: '',
      source,
    }
    this.store.conversations.set(stored.id, stored)
    return structuredClone(stored)
  }

  addLead(chatbotId: string, lead: NewLead): StoredLead {
    const leads = this.leads.configured(chatbotId)
    const createdAt = addedAt('Lead', lead.createdAt)
    const stored: StoredLead = {
      id: this.nextLeadId++,
      created_at: createdAt,
      chatbot_owner_user_id: OWNER_USER_ID,
      chatbot_id: chatbotId,
      phone: lead.phone ?? null,
      email: lead.email ?? null,
      name: lead.name ?? null,
    }
    leads.push(stored)
    return { ...stored }
  }

  reset(): void {
    this.nextLeadId = 1
  }

  private getLeads({ query }: Context): Answer {
    const issues: Issue[] = []
    if (!query.chatbotId) issues.push({ field: 'chatbotId', message: 'Required' })
    checkDayParams(issues, query)
    const page = integerParam(issues, query, 'page', 1, 1)
    const size = integerParam(issues, query, 'size', DEFAULT_PAGE_SIZE, 1)
    if (issues.length > 0) throw invalid('Invalid request parameters', issues)

    const { startDate, endDate } = query
    const matching = this.leads.known(query.chatbotId as string).filter((lead) => {
      const day = lead.created_at.slice(0, 10) // the UTC day of the lead
      return (startDate === undefined || day >= startDate) && (endDate === undefined || day <= endDate)
    })
    // The docs give no order; newest first, like the dashboard
    matching.sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id - a.id)
    const leads = matching.slice((page - 1) * size, page * size)
    return {
      status: 200,
      json: this.store.shapes === 'live' ? { collectedCustomers: { data: leads, error: null } } : { data: leads },
    }
  }

  private getConversations({ query }: Context): Answer {
    const issues: Issue[] = []
    if (!query.chatbotId) issues.push({ field: 'chatbotId', message: 'Required' })
    // Comma-separated, blanks around names ignored; an unknown name is a 400 and an empty list filters nothing
    // (the docs are silent on both)
    const sources = (query.filteredSources ?? '')
      .split(',')
      .map((source) => source.trim())
      .filter((source) => source !== '')
    const unknownSources = sources.filter((source) => !(CONVERSATION_SOURCES as readonly string[]).includes(source))
    if (unknownSources.length > 0) {
      issues.push({
        field: 'filteredSources',
        message: `Invalid source ${unknownSources.map((source) => `'${source}'`).join(', ')}. Expected any of ${CONVERSATION_SOURCES.map((source) => `'${source}'`).join(' | ')}`,
      })
    }
    checkDayParams(issues, query)
    const page = integerParam(issues, query, 'page', 1, 1)
    const size = integerParam(issues, query, 'size', DEFAULT_PAGE_SIZE, 1, MAX_CONVERSATIONS_PAGE_SIZE)
    if (issues.length > 0) throw invalid('Invalid request parameters', issues)

    const chatbotId = query.chatbotId as string
    this.store.known(chatbotId) // 404 for an unknown chatbot
    const { startDate, endDate } = query
    const all = [...this.store.conversations.values()]
    const matching = all.filter((conversation) => {
      const day = conversation.created_at.slice(0, 10) // the UTC day the conversation was created
      return (
        conversation.chatbot_id === chatbotId &&
        (sources.length === 0 || sources.includes(conversation.source)) &&
        (startDate === undefined || day >= startDate) &&
        (endDate === undefined || day <= endDate)
      )
    })
    // The docs give no order; newest first like get-leads, the later saved first on a tie
    matching.sort((a, b) => b.created_at.localeCompare(a.created_at) || all.indexOf(b) - all.indexOf(a))
    const conversations = matching.slice((page - 1) * size, page * size)
    return {
      status: 200,
      json: { data: this.store.shapes === 'live' ? conversations.map(liveConversation) : conversations },
    }
  }
}

// The time a test gives for what it adds, checked; now when it gives none
function addedAt(what: string, createdAt: string | undefined): string {
  const date = createdAt === undefined ? new Date() : new Date(createdAt)
  if (Number.isNaN(date.getTime())) throw new Error(`${what} createdAt "${createdAt}" is not a date`)
  return date.toISOString()
}

// A conversation as the live API returns it: fields the docs do not list, and no chatbot_id
function liveConversation({ chatbot_id: _chatbotId, ...conversation }: StoredConversation): Json {
  return { ...conversation, type: 'chat', score: null, last_message_at: conversation.created_at, country: null }
}

// startDate / endDate of get-leads and get-conversations
function checkDayParams(issues: Issue[], query: Record<string, string>): void {
  for (const field of ['startDate', 'endDate'] as const) {
    const value = query[field]
    if (value !== undefined && !isCalendarDay(value)) {
      issues.push({ field, message: 'Invalid date, expected Year-Month-Day, e.g. 2023-07-10' })
    }
  }
}

// A real day written YYYY-MM-DD (2023-7-10 and 2023-02-30 are rejected).
function isCalendarDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false
  const date = new Date(`${value}T00:00:00Z`)
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value)
}

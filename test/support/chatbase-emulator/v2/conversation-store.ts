// The conversations of each agent as v2 sees them (§7.4, §10): made by POST chat (source API) or added by a test
// from any source, with what search filters on. Timestamps are Unix seconds on Chatbase's clock (the clock skew).
import { randomBytes, randomUUID } from 'node:crypto'
import type { Slot, Store } from '../store'
import { invalidBody, V2Error } from './core'

export const CONVERSATION_STATUSES = ['ongoing', 'ended', 'taken_over', 'paused'] as const
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number]
// ExportConversation.source in the spec
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
export type ConversationSource = (typeof CONVERSATION_SOURCES)[number]
export type Sentiment = 'positive' | 'neutral' | 'negative'
export type Feedback = 'positive' | 'negative'

// MessageParts in the spec
export type Part =
  | { type: 'text'; text: string }
  | { type: 'tool-call'; toolCallId: string; toolName: string; input?: unknown }
  | { type: 'tool-result'; toolCallId: string; toolName: string; output?: unknown }

export type AgentMessage = {
  id: string
  role: 'user' | 'assistant'
  parts: Part[]
  createdAt: number
  feedback: Feedback | null // assistant messages only
  score: number | null // the assistant's confidence, 0–1
}

// A server-side run search can filter on: an action type, a tool or a procedure, with its outcome
export type Run = { name: string; outcome?: string }

export type AgentConversation = {
  id: string
  agentId: string
  title: string | null
  createdAt: number
  updatedAt: number // last activity
  userId: string | null
  status: ConversationStatus
  source: ConversationSource | null
  sentiment: Sentiment | null
  topic: string | null
  escalated: boolean // handed to a human (ticket or live chat)
  actionTypes: string[]
  tools: Run[]
  procedures: Run[]
  hasVoice: boolean
  messages: AgentMessage[]
  pendingToolCalls: string[] // tool call ids still waiting for POST tool-result
}

// What a test gives addAgentConversation: all optional; a message is its text or its parts
export type NewAgentMessage = {
  role: 'user' | 'assistant'
  text?: string
  parts?: Part[]
  createdAt?: number
  feedback?: Feedback | null
  score?: number | null
}
export type NewAgentConversation = Partial<Omit<AgentConversation, 'agentId' | 'messages' | 'pendingToolCalls'>> & {
  messages?: NewAgentMessage[]
}

export class AgentConversations {
  // What chat and PATCH answer for a conversation that ended or was taken over: its status is undocumented
  notOngoingStatus: 400 | 409 = 409
  private readonly byAgent: Slot<Map<string, AgentConversation>>

  constructor(private readonly store: Store) {
    this.byAgent = store.slot(() => new Map())
  }

  now(): number {
    return this.store.unixNow()
  }

  reset(): void {
    this.notOngoingStatus = 409
  }

  // All sources, in the order they were made
  all(agentId: string): AgentConversation[] {
    return [...(this.byAgent.find(agentId)?.values() ?? [])]
  }

  // "Most conversation endpoints apply exclusively to conversations created programmatically via the Chatbase API"
  apiCreated(agentId: string): AgentConversation[] {
    return this.all(agentId).filter((conversation) => conversation.source === 'API')
  }

  find(agentId: string, conversationId: string): AgentConversation | undefined {
    return this.byAgent.find(agentId)?.get(conversationId)
  }

  // An API-created conversation of a route; Chatbase's 404 when there is none
  knownApiCreated(agentId: string, conversationId: string): AgentConversation {
    const conversation = this.find(agentId, conversationId)
    if (conversation?.source !== 'API') {
      throw new V2Error(404, 'RESOURCE_NOT_FOUND', 'The requested item could not be found')
    }
    return conversation
  }

  // For the test API: a conversation of any agent
  anywhere(conversationId: string): AgentConversation | undefined {
    return this.byAgent
      .all()
      .map((conversations) => conversations.get(conversationId))
      .find((conversation) => conversation !== undefined)
  }

  notOngoing(): V2Error {
    const message = 'This conversation has ended or was taken over; start a new one'
    return new V2Error(this.notOngoingStatus, 'CHAT_CONVERSATION_NOT_ONGOING', message)
  }

  add(agentId: string, conversation: NewAgentConversation): AgentConversation {
    const conversations = this.byAgent.configured(agentId)
    const now = this.now()
    const source = conversation.source === undefined ? 'API' : conversation.source
    if (source !== null && !(CONVERSATION_SOURCES as readonly string[]).includes(source)) {
      throw new Error(`Conversation source "${source}" is not one of ${CONVERSATION_SOURCES.join(', ')}`)
    }
    const createdAt = conversation.createdAt ?? now
    const messages = (conversation.messages ?? []).map((message) => ({
      id: newMessageId(),
      role: message.role,
      parts: message.parts ?? [{ type: 'text' as const, text: message.text ?? '' }],
      createdAt: message.createdAt ?? createdAt,
      feedback: message.feedback ?? null,
      score: message.score ?? null,
    }))
    const stored: AgentConversation = {
      id: randomUUID(),
      title: null,
      createdAt,
      updatedAt: Math.max(createdAt, ...messages.map((message) => message.createdAt)),
      userId: null,
      status: 'ongoing',
      sentiment: null,
      topic: null,
      escalated: false,
      actionTypes: [],
      tools: [],
      procedures: [],
      hasVoice: false,
      ...conversation,
      source,
      agentId,
      messages,
      pendingToolCalls: [],
    }
    conversations.set(stored.id, stored)
    return stored
  }
}

// Opaque; the docs' examples look like msg_abc123
export function newMessageId(): string {
  return `msg_${randomBytes(9).toString('base64url')}`
}

// ConversationMetadata in the spec
export function metadataView(conversation: AgentConversation) {
  const { id, title, createdAt, updatedAt, userId, status } = conversation
  return { id, title, createdAt, updatedAt, userId, status }
}

// ConversationMessage in the spec: feedback and score belong to assistant messages
export function messageView(message: AgentMessage) {
  const { id, role, parts, createdAt, feedback, score } = message
  return { id, role, parts, createdAt, ...(role === 'assistant' && { feedback, metadata: { score } }) }
}

// startDate / endDate (and search's updatedAfter / updatedBefore): a YYYY-MM-DD is that whole UTC day, else an ISO
// 8601 date-time. The window in Unix seconds; an invalid date or an inverted window is Chatbase's 400.
export function dateWindow(query: Record<string, string>, from: string, to: string): (seconds: number) => boolean {
  const start = readDate(query, from, 'start')
  const end = readDate(query, to, 'end')
  if (start !== undefined && end !== undefined && start > end) {
    throw new V2Error(400, 'VALIDATION_INVALID_DATE_RANGE', `${from} must not be after ${to}`)
  }
  return (seconds) => (start === undefined || seconds >= start) && (end === undefined || seconds <= end)
}

function readDate(query: Record<string, string>, field: string, edge: 'start' | 'end'): number | undefined {
  const value = query[field]
  if (value === undefined) return undefined
  const day = /^\d{4}-\d{2}-\d{2}$/.test(value)
  const milliseconds = Date.parse(day ? `${value}T00:00:00Z` : value)
  const isDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)
  if (Number.isNaN(milliseconds) || (!day && !isDateTime)) {
    throw invalidBody({ [field]: 'Invalid date: expected YYYY-MM-DD or an ISO 8601 date-time' })
  }
  // the end of a bare day is inclusive
  return day && edge === 'end' ? milliseconds / 1000 + 86_399.999 : milliseconds / 1000
}

// A comma-separated filter's values, blanks ignored
export function listParam(query: Record<string, string>, field: string): string[] {
  return (query[field] ?? '')
    .split(',')
    .map((value) => value.trim())
    .filter((value) => value !== '')
}

// listParam, every value one of `allowed`, else Chatbase's 400 naming the field
export function enumListParam(query: Record<string, string>, field: string, allowed: readonly string[]): string[] {
  const values = listParam(query, field)
  const unknown = values.filter((value) => !allowed.includes(value))
  if (unknown.length > 0) throw invalidBody({ [field]: `Unknown value(s) ${unknown.join(', ')}` })
  return values
}

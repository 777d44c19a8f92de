// The conversations endpoints but search (§7.4): list, get, messages, a user's conversations, pause / resume and
// feedback, which see API-created conversations only, and export, which sees every source.
import type { AgentsArea } from './agents'
import {
  CONVERSATION_SOURCES,
  dateWindow,
  enumListParam,
  messageView,
  metadataView,
  type AgentConversation,
  type AgentConversations,
  type AgentMessage,
  type Feedback,
} from './conversation-store'
import { V2Error, type V2Answer, type V2Context, type V2Route } from './core'
import { page, queryKey } from './paging'

const DEFAULT_LIMIT = 20

export class ConversationsArea {
  readonly routes: V2Route[] = [
    { operation: 'listConversations', handle: (context) => this.list(context) },
    { operation: 'getConversation', handle: (context) => this.get(context) },
    { operation: 'listConversationMessages', handle: (context) => this.messages(context) },
    { operation: 'listUserConversations', handle: (context) => this.userConversations(context) },
    { operation: 'updateConversation', handle: (context) => this.pauseOrResume(context) },
    { operation: 'updateMessageFeedback', handle: (context) => this.feedback(context) },
    { operation: 'exportConversations', handle: (context) => this.export(context) },
  ]

  constructor(
    private readonly agents: AgentsArea,
    private readonly conversations: AgentConversations
  ) {}

  // Newest first (the spec says "ordered by createdAt" without a direction), filtered on createdAt
  private list({ params, query }: V2Context): V2Answer {
    this.agents.known(params.agentId!)
    const created = dateWindow(query, 'startDate', 'endDate')
    const matching = this.conversations
      .apiCreated(params.agentId!)
      .filter((conversation) => created(conversation.createdAt))
      .reverse() // the later made first on a tie
      .sort(newestFirst)
    const { data, pagination } = page(matching, query, DEFAULT_LIMIT, queryKey(query))
    return { status: 200, json: { data: data.map(metadataView), pagination } }
  }

  // The metadata and the newest page of messages; its cursor continues with the messages endpoint
  private get({ params }: V2Context): V2Answer {
    this.agents.known(params.agentId!)
    const conversation = this.conversations.knownApiCreated(params.agentId!, params.conversationId!)
    const { data, pagination } = messagePage(conversation, {})
    return { status: 200, json: { data: { ...metadataView(conversation), messages: data }, pagination } }
  }

  private messages({ params, query }: V2Context): V2Answer {
    this.agents.known(params.agentId!)
    const conversation = this.conversations.knownApiCreated(params.agentId!, params.conversationId!)
    return { status: 200, json: messagePage(conversation, query) }
  }

  // By last activity, newest first
  private userConversations({ params, query }: V2Context): V2Answer {
    this.agents.known(params.agentId!)
    const matching = this.conversations
      .apiCreated(params.agentId!)
      .filter((conversation) => conversation.userId === params.userId)
      .reverse()
      .sort((a, b) => b.updatedAt - a.updatedAt)
    const { data, pagination } = page(matching, query, DEFAULT_LIMIT, params.userId)
    return { status: 200, json: { data: data.map(metadataView), pagination } }
  }

  // An ended or taken-over conversation can be neither paused nor resumed (the answer's status is only
  // ongoing | paused): refused like a chat on it
  private pauseOrResume({ params, json }: V2Context): V2Answer {
    this.agents.known(params.agentId!)
    const conversation = this.conversations.knownApiCreated(params.agentId!, params.conversationId!)
    if (conversation.status === 'ended' || conversation.status === 'taken_over') throw this.conversations.notOngoing()
    conversation.status = (json as { paused: boolean }).paused ? 'paused' : 'ongoing'
    return { status: 200, json: { data: { id: conversation.id, status: conversation.status } } }
  }

  private feedback({ params, json }: V2Context): V2Answer {
    this.agents.known(params.agentId!)
    const conversation = this.conversations.knownApiCreated(params.agentId!, params.conversationId!)
    const message = conversation.messages.find((candidate) => candidate.id === params.messageId)
    if (!message) {
      const text = 'The specified message could not be found in this conversation'
      throw new V2Error(404, 'RESOURCE_MESSAGE_NOT_FOUND', text)
    }
    if (message.role !== 'assistant') {
      throw new V2Error(422, 'RESOURCE_MESSAGE_NOT_ASSISTANT', 'Only assistant messages support metadata updates')
    }
    message.feedback = (json as { feedback: Feedback | null }).feedback
    return { status: 200, json: { data: messageView(message) } }
  }

  // Every source, newest first (as the CLI's export reads it), with the messages unless include=summary
  private export({ params, query }: V2Context): V2Answer {
    this.agents.known(params.agentId!)
    const sources = enumListParam(query, 'source', CONVERSATION_SOURCES)
    const created = dateWindow(query, 'startDate', 'endDate')
    const matching = this.conversations
      .all(params.agentId!)
      .filter(
        (conversation) =>
          (query.conversationId === undefined || conversation.id === query.conversationId) &&
          (sources.length === 0 || sources.includes(conversation.source as string)) &&
          created(conversation.createdAt)
      )
      .reverse()
      .sort(newestFirst)
    const { data, pagination } = page(matching, query, DEFAULT_LIMIT, queryKey(query))
    const withMessages = query.include !== 'summary'
    const exported = data.map((conversation) => ({
      ...metadataView(conversation),
      source: conversation.source,
      ...(withMessages && { messages: conversation.messages.map(exportMessage) }),
    }))
    return { status: 200, json: { data: exported, pagination } }
  }
}

const newestFirst = (a: AgentConversation, b: AgentConversation) => b.createdAt - a.createdAt

// Page 1 holds the newest messages, each page in chronological order, the cursor walking to older ones
function messagePage(conversation: AgentConversation, query: Record<string, string>) {
  const { data, pagination } = page([...conversation.messages].reverse(), query, DEFAULT_LIMIT, conversation.id)
  return { data: data.reverse().map(messageView), pagination }
}

// Export sanitises tool calls to their name and id
function exportMessage(message: AgentMessage) {
  const view = messageView(message)
  const parts = view.parts.map((part) =>
    part.type === 'tool-call' ? { type: part.type, toolCallId: part.toolCallId, toolName: part.toolName } : part
  )
  return { ...view, parts }
}

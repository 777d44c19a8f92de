// POST chat and POST tool-result (§7.3, §8): the server keeps each conversation's history, answers as JSON or as an
// AI SDK UI message stream, and runs client actions: a reply may call tools, whose results the client submits
// before a POST chat without a message lets the agent continue.
import { randomBytes } from 'node:crypto'
import type { AgentsArea } from './agents'
import {
  messageView,
  newMessageId,
  type AgentConversation,
  type AgentConversations,
  type AgentMessage,
  type Part,
} from './conversation-store'
import { invalidBody, V2Error, type V2Answer, type V2Context, type V2Route } from './core'

// What the test's reply hook is given: the conversation so far, the new user message included (none when the
// client continues after tool results, whose tool-result parts are then in `messages`)
export type AgentReplyRequest = {
  agentId: string
  conversationId: string
  message: string | undefined
  messages: ReturnType<typeof messageView>[]
}
// A text; or tool calls the client must run (finishReason tool-calls), with text before them if any; errorText
// breaks the reply off after its text (finishReason error, an error event when streamed); credits default to 1
export type AgentReply =
  string | { text?: string; toolCalls?: { toolName: string; input?: unknown }[]; errorText?: string; credits?: number }
export type AgentReplyHook = (request: AgentReplyRequest) => AgentReply

// How the stream is shaped where Chatbase's sources disagree (§8): SSE even when stream: false was sent, the start
// event's name, and where the Chatbase metadata goes
export type StreamShape = {
  alwaysSse: boolean
  startEvent: 'start' | 'message-start'
  metadata: 'finish.messageMetadata' | 'message-metadata' | 'finish.metadata'
}
const DEFAULT_STREAM: StreamShape = { alwaysSse: false, startEvent: 'start', metadata: 'finish.messageMetadata' }

const defaultReply: AgentReplyHook = ({ message, messages }) =>
  message === undefined
    ? `Emulated continuation after ${messages.flatMap((m) => m.parts).filter((p) => p.type === 'tool-result').length} tool result(s)`
    : `Emulated reply to "${message}"`

type ChatRequest = { message?: string; conversationId?: string; stream?: boolean; userId?: string }
type FinishReason = 'stop' | 'error' | 'tool-calls'

export class AgentChatArea {
  creditsExhausted = false
  stream: StreamShape = { ...DEFAULT_STREAM }
  private reply = defaultReply
  readonly routes: V2Route[] = [
    { operation: 'chatWithAgent', handle: (context) => this.chat(context) },
    { operation: 'submitToolResult', handle: (context) => this.submitToolResult(context) },
  ]

  constructor(
    private readonly agents: AgentsArea,
    private readonly conversations: AgentConversations
  ) {}

  setReply(reply: AgentReplyHook): void {
    this.reply = reply
  }

  reset(): void {
    this.creditsExhausted = false
    this.stream = { ...DEFAULT_STREAM }
    this.reply = defaultReply
  }

  private chat({ params, json }: V2Context): V2Answer {
    const agentId = params.agentId!
    this.agents.known(agentId)
    const request = json as ChatRequest
    if (this.creditsExhausted) throw new V2Error(402, 'CHAT_CREDITS_EXHAUSTED', 'Message limit reached')
    let conversation: AgentConversation | undefined
    if (request.conversationId !== undefined) {
      conversation = this.conversations.find(agentId, request.conversationId)
      // The status of CHAT_CONVERSATION_MISMATCH is undocumented: 400, which chat documents
      if (!conversation) {
        throw new V2Error(400, 'CHAT_CONVERSATION_MISMATCH', 'The conversation does not belong to this agent')
      }
      if (conversation.status === 'ended' || conversation.status === 'taken_over') {
        throw this.conversations.notOngoing()
      }
    }
    if (request.message === undefined) checkContinuation(conversation)

    const now = this.conversations.now()
    // userId is applied only when the conversation is created, and is immutable afterwards
    conversation ??= this.conversations.add(agentId, { source: 'API', userId: request.userId ?? null, createdAt: now })
    conversation.updatedAt = now
    if (request.message !== undefined)
      conversation.messages.push(message('user', [{ type: 'text', text: request.message }], now))
    const userMessageId = conversation.messages.filter((candidate) => candidate.role === 'user').at(-1)?.id ?? ''

    // A paused conversation records the message, and the AI does not answer
    const turn =
      conversation.status === 'paused'
        ? {
            id: newMessageId(),
            parts: [] as Part[],
            finishReason: 'stop' as FinishReason,
            credits: 0,
            errorText: undefined,
          }
        : this.answer(conversation, request.message)
    this.agents.recordChat(agentId, turn.credits)
    const metadata = {
      userMessageId,
      conversationId: conversation.id,
      userId: conversation.userId,
      finishReason: turn.finishReason,
      usage: { credits: turn.credits },
    }
    if (request.stream === false && !this.stream.alwaysSse) {
      return { status: 200, json: { data: { id: turn.id, role: 'assistant', parts: turn.parts, metadata } } }
    }
    return {
      status: 200,
      events: this.events(turn.id, turn.parts, turn.errorText, { messageId: turn.id, ...metadata }),
    }
  }

  // The assistant's turn from the reply hook, kept in the conversation with its tool calls pending
  private answer(conversation: AgentConversation, userMessage: string | undefined) {
    const reply = this.reply({
      agentId: conversation.agentId,
      conversationId: conversation.id,
      message: userMessage,
      messages: structuredClone(conversation.messages.map(messageView)),
    })
    const { text, toolCalls = [], errorText, credits = 1 } = typeof reply === 'string' ? { text: reply } : reply
    const parts: Part[] = text ? [{ type: 'text', text }] : []
    for (const { toolName, input } of toolCalls) {
      const toolCallId = `call_${randomBytes(6).toString('hex')}`
      parts.push({ type: 'tool-call', toolCallId, toolName, input })
      conversation.pendingToolCalls.push(toolCallId)
    }
    const assistant = message('assistant', parts, this.conversations.now())
    conversation.messages.push(assistant)
    const finishReason: FinishReason = errorText ? 'error' : toolCalls.length > 0 ? 'tool-calls' : 'stop'
    return { id: assistant.id, parts, finishReason, credits, errorText }
  }

  // The UI message stream of one assistant message
  private events(
    messageId: string,
    parts: Part[],
    errorText: string | undefined,
    metadata: Record<string, unknown>
  ): Record<string, unknown>[] {
    const events: Record<string, unknown>[] = [{ type: this.stream.startEvent, messageId }, { type: 'start-step' }]
    parts.forEach((part, index) => {
      if (part.type === 'text') {
        const id = `text_${index + 1}`
        events.push({ type: 'text-start', id })
        for (const delta of part.text.match(/\S+\s*|\s+/g) ?? []) events.push({ type: 'text-delta', id, delta })
        events.push({ type: 'text-end', id })
      } else if (part.type === 'tool-call') {
        const { toolCallId, toolName, input } = part
        events.push({ type: 'tool-input-start', toolCallId, toolName })
        events.push({ type: 'tool-input-delta', toolCallId, inputTextDelta: JSON.stringify(input ?? {}) })
        events.push({ type: 'tool-input-available', toolCallId, toolName, input })
      }
    })
    if (errorText) events.push({ type: 'error', errorText })
    events.push({ type: 'finish-step' })
    const { finishReason } = metadata
    if (this.stream.metadata === 'message-metadata') {
      events.push({ type: 'message-metadata', messageMetadata: metadata }, { type: 'finish', finishReason })
    } else if (this.stream.metadata === 'finish.metadata') {
      events.push({ type: 'finish', finishReason, metadata })
    } else {
      events.push({ type: 'finish', finishReason, messageMetadata: metadata })
    }
    return events
  }

  private submitToolResult({ params, json }: V2Context): V2Answer {
    this.agents.known(params.agentId!)
    const { toolCallId, output } = json as { toolCallId: string; output?: unknown }
    const conversation = this.conversations.find(params.agentId!, params.conversationId!)
    if (!conversation?.pendingToolCalls.includes(toolCallId)) {
      throw new V2Error(404, 'RESOURCE_TOOL_CALL_NOT_FOUND', 'Tool call not found or expired')
    }
    conversation.pendingToolCalls = conversation.pendingToolCalls.filter((id) => id !== toolCallId)
    // the result joins the call in the assistant message that made it
    const caller = conversation.messages.find((candidate) =>
      candidate.parts.some((part) => part.type === 'tool-call' && part.toolCallId === toolCallId)
    ) as AgentMessage
    const call = caller.parts.find((part) => part.type === 'tool-call' && part.toolCallId === toolCallId) as Extract<
      Part,
      { type: 'tool-call' }
    >
    caller.parts.push({ type: 'tool-result', toolCallId, toolName: call.toolName, output })
    conversation.updatedAt = this.conversations.now()
    return { status: 200, json: { data: { success: true } } }
  }
}

function message(role: AgentMessage['role'], parts: Part[], createdAt: number): AgentMessage {
  return { id: newMessageId(), role, parts, createdAt, feedback: null, score: null } // no confidence is emulated
}

// Without a message, the client asks the agent to go on after submitting tool results: there must be a
// conversation whose last assistant message called tools, all of them answered. The docs name no error for the
// other cases: Chatbase's validation error, naming message.
function checkContinuation(conversation: AgentConversation | undefined): void {
  if (!conversation) throw invalidBody({ message: 'Required to start a conversation' })
  if (conversation.pendingToolCalls.length > 0) {
    throw invalidBody({
      message: `Required while tool calls await their results: ${conversation.pendingToolCalls.join(', ')}`,
    })
  }
  const last = conversation.messages.at(-1)
  if (last?.role !== 'assistant' || !last.parts.some((part) => part.type === 'tool-result')) {
    throw invalidBody({ message: 'Required unless continuing after tool results' })
  }
}

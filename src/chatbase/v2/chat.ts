import { z } from '@botpress/sdk'
import type { ChatbaseTransport } from '../transport'
import { agentPath, agentTarget } from './shared'

/*
 * API v2's chat: Chatbase keeps the conversation (its id is Chatbase's own UUID), so one message goes per turn and no
 * history is resent. Answers are read tolerantly: unknown part types and finish reasons are kept as text, and only a
 * reply without its conversation id fails, since the next turn needs it.
 */

const textPart = z.object({ type: z.literal('text'), text: z.string() })
const toolCallPart = z.object({
  type: z.literal('tool-call'),
  toolCallId: z.string(),
  toolName: z.string().nullish(),
  input: z.unknown(),
})
// Any other part (tool results, parts Chatbase adds later) is carried past, never a reason to fail.
const otherPart = z.object({ type: z.unknown() }).passthrough()

const chatReply = z.object({
  id: z.string().nullish(),
  parts: z.array(z.union([textPart, toolCallPart, otherPart])).nullish(),
  metadata: z
    .object({
      conversationId: z.string().min(1),
      userMessageId: z.string().nullish(),
      userId: z.string().nullish(),
      messageId: z.string().nullish(),
      finishReason: z.string().nullish(),
    })
    .passthrough(),
})
const chatAnswer = z.object({ data: chatReply })

export type ToolCall = { toolCallId: string; toolName: string; input: unknown }
export type AgentReply = {
  chatbaseConversationId: string
  messageId?: string
  text: string
  toolCalls: ToolCall[]
  finishReason?: string
}

const replyOf = ({ data }: z.output<typeof chatAnswer>): AgentReply => {
  const parts = data.parts ?? []
  const texts: string[] = []
  const toolCalls: ToolCall[] = []
  for (const part of parts) {
    const text = textPart.safeParse(part)
    if (text.success) texts.push(text.data.text)
    const call = toolCallPart.safeParse(part)
    if (call.success) {
      toolCalls.push({ toolCallId: call.data.toolCallId, toolName: call.data.toolName ?? '', input: call.data.input })
    }
  }
  const messageId = data.id ?? data.metadata.messageId ?? undefined
  return {
    chatbaseConversationId: data.metadata.conversationId,
    ...(messageId && { messageId }),
    text: texts.join(''),
    toolCalls,
    ...(data.metadata.finishReason && { finishReason: data.metadata.finishReason }),
  }
}

export type ChatTurn = {
  /** Absent to let the agent continue after a tool result. */
  message?: string
  /** Absent to start a new conversation. */
  conversationId?: string
  /** Taken by Chatbase only when the conversation is new. */
  userId?: string
}

/** One message to the AI agent (or the continuation after a tool result), as JSON: v2 streams unless told not to. */
export const chatWithAgent = async (
  transport: ChatbaseTransport,
  agentId: string,
  { message, conversationId, userId }: ChatTurn
): Promise<AgentReply> =>
  replyOf(
    await transport.request({
      api: 'v2',
      method: 'POST',
      path: agentPath(agentId, 'chat'),
      body: {
        ...(message !== undefined && { message }),
        ...(conversationId !== undefined ? { conversationId } : userId !== undefined && { userId }),
        stream: false,
      },
      policy: 'billed',
      responseSchema: chatAnswer,
      mayStream: true,
      operation: 'get an answer from the AI agent',
      target: agentTarget(agentId),
    })
  )

const conversationPath = (agentId: string, conversationId: string, ...rest: string[]) =>
  agentPath(agentId, 'conversations', conversationId, ...rest)
const conversationTarget = (agentId: string, conversationId: string) =>
  `conversation "${conversationId}" of AI agent "${agentId}"`

/** A conversation's status as v2 names them; any other value is kept. */
export type ConversationStatus = 'ongoing' | 'ended' | 'taken_over' | 'paused' | (string & {})

const conversationSummary = z.object({
  id: z.string(),
  status: z.string().nullish(),
  userId: z.string().nullish(),
})
export type ConversationSummary = z.output<typeof conversationSummary>

/** The conversation's metadata, which get-conversation wraps in `{ data }` (with its first messages, not read). */
export const getConversationSummary = async (
  transport: ChatbaseTransport,
  agentId: string,
  conversationId: string
): Promise<ConversationSummary> => {
  const answer = await transport.request({
    api: 'v2',
    method: 'GET',
    path: conversationPath(agentId, conversationId),
    responseSchema: z.object({ data: conversationSummary }),
    operation: 'read the conversation',
    target: conversationTarget(agentId, conversationId),
  })
  return answer.data
}

/** The user's most recently active conversation, if any: v2 lists a user's conversations by last activity. */
export const latestConversationOf = async (
  transport: ChatbaseTransport,
  agentId: string,
  userId: string
): Promise<ConversationSummary | undefined> => {
  const answer = await transport.request({
    api: 'v2',
    method: 'GET',
    path: agentPath(agentId, 'users', userId, 'conversations'),
    query: { limit: 1 },
    responseSchema: z.object({ data: z.array(conversationSummary) }),
    operation: "find the user's conversation",
    target: `user "${userId}" of AI agent "${agentId}"`,
  })
  return answer.data[0]
}

/**
 * Hands the result of a client action back to the agent. Sending it twice is harmless: the second is refused with a
 * 404 (the call is resolved), which after a lost answer means the first went through.
 */
export const submitToolResult = async (
  transport: ChatbaseTransport,
  agentId: string,
  conversationId: string,
  toolCallId: string,
  output: unknown
): Promise<void> =>
  transport.request({
    api: 'v2',
    method: 'POST',
    path: conversationPath(agentId, conversationId, 'tool-result'),
    body: { toolCallId, ...(output !== undefined && { output }) },
    policy: 'idempotent-write',
    ignoreBody: true,
    goneMeansDone: true,
    operation: `submit the result of tool call "${toolCallId}"`,
    target: `pending tool call "${toolCallId}" in ${conversationTarget(agentId, conversationId)}`,
  })

export type Rating = 'positive' | 'negative' | 'none'

export const rateMessage = async (
  transport: ChatbaseTransport,
  agentId: string,
  conversationId: string,
  messageId: string,
  rating: Rating
): Promise<void> =>
  transport.request({
    api: 'v2',
    method: 'PATCH',
    path: conversationPath(agentId, conversationId, 'messages', messageId, 'feedback'),
    body: { feedback: rating === 'none' ? null : rating },
    ignoreBody: true,
    operation: 'rate the answer',
    target: `message "${messageId}" in ${conversationTarget(agentId, conversationId)}`,
  })

/**
 * Pauses (the AI agent stops replying; messages are still recorded) or resumes a conversation. The answer's status
 * is the one asked for, so a success is all the card needs of it.
 */
export const setConversationPaused = async (
  transport: ChatbaseTransport,
  agentId: string,
  conversationId: string,
  paused: boolean
): Promise<void> =>
  transport.request({
    api: 'v2',
    method: 'PATCH',
    path: conversationPath(agentId, conversationId),
    body: { paused },
    ignoreBody: true,
    operation: paused ? 'pause the conversation' : 'resume the conversation',
    target: conversationTarget(agentId, conversationId),
  })

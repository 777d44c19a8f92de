import { answerVerdict } from './shared/answered'
import {
  chatWithAgent,
  getConversationSummary,
  latestConversationOf,
  type AgentReply,
  type ConversationStatus,
} from '../chatbase/v2/chat'
import { ChatbaseError } from '../chatbase/errors'
import type { ChatbaseTransport } from '../chatbase/transport'
import type { Configuration } from '../definitions/configuration'
import type { ActionOutput } from '../definitions'
import {
  forgetLink,
  rememberedChatbaseConversation,
  rememberLink,
  userIdForConversation,
} from '../state/chatbase-conversations'

/*
 * One turn of Message AI Agent on API v2: which Chatbase conversation the message continues, and what its answer
 * means for the flow. Chatbase keeps the conversation, so a turn is one request when this instance knows the link.
 */

export type AgentAnswer = Omit<ActionOutput<'submitToolResult'>, 'api'>

/**
 * A Chatbase conversation to continue (with what is known of its status, and whether the flow named it), or none: a
 * new one starts.
 */
type Continued = { id?: string; status?: ConversationStatus; named?: boolean }

const NOT_ONGOING = 'CHAT_CONVERSATION_NOT_ONGOING'
/** A conversation Chatbase no longer has for this agent (deleted, or of another agent). */
const isGone = (thrown: ChatbaseError) => thrown.chatbaseCode === 'CHAT_CONVERSATION_MISMATCH' || thrown.status === 404

/** The answer as the flow reads it: whether the agent answered the user, and if not, why. */
export const agentAnswer = (
  reply: AgentReply,
  configuration: Configuration,
  status?: ConversationStatus
): AgentAnswer => {
  const base = {
    text: reply.text,
    toolCalls: reply.toolCalls,
    chatbaseConversationId: reply.chatbaseConversationId,
    ...(reply.messageId && { messageId: reply.messageId }),
  }
  if (reply.toolCalls.length > 0 || reply.finishReason === 'tool-calls') {
    return { ...base, answered: false, unansweredReason: 'tool-calls' }
  }
  if (status === 'paused' && reply.text === '') {
    return { ...base, answered: false, unansweredReason: 'paused' }
  }
  return { ...base, ...answerVerdict(reply.text, configuration) }
}

export type Turn = {
  agentId: string
  message: string
  /** The Botpress conversation the turn belongs to, if any: its Chatbase conversation is continued. */
  botpressConversationId?: string
  /** The flow's own Chatbase user id; else the Botpress conversation stands for the user. */
  userId?: string
  /** A Chatbase conversation the flow names itself. */
  chatbaseConversationId?: string
  startAfresh: boolean
}

export class AgentTurn {
  public constructor(
    private readonly transport: ChatbaseTransport,
    private readonly configuration: Configuration,
    private readonly turn: Turn
  ) {}

  private get userId(): string | undefined {
    const { userId, botpressConversationId } = this.turn
    return userId ?? (botpressConversationId === undefined ? undefined : userIdForConversation(botpressConversationId))
  }

  /** Which conversation the message goes to: the flow's, the one this instance knows, or the user's latest. */
  private async continued(): Promise<Continued> {
    const { agentId, botpressConversationId, chatbaseConversationId, startAfresh } = this.turn
    if (chatbaseConversationId !== undefined) {
      return { id: chatbaseConversationId, named: true }
    }
    if (botpressConversationId === undefined || startAfresh) {
      return {}
    }
    const known = rememberedChatbaseConversation(agentId, botpressConversationId)
    if (known !== undefined) {
      return { id: known }
    }
    const latest = await latestConversationOf(this.transport, agentId, this.userId!)
    return !latest || latest.status === 'ended' ? {} : { id: latest.id, status: latest.status ?? undefined }
  }

  private async send(conversationId: string | undefined): Promise<AgentReply> {
    const { agentId, message } = this.turn
    const reply = await chatWithAgent(this.transport, agentId, {
      message,
      ...(conversationId === undefined ? { userId: this.userId } : { conversationId }),
    })
    if (this.turn.botpressConversationId !== undefined) {
      rememberLink(agentId, this.turn.botpressConversationId, reply.chatbaseConversationId)
    }
    return reply
  }

  private takenOver(id: string): AgentAnswer {
    return { text: '', answered: false, unansweredReason: 'taken-over', toolCalls: [], chatbaseConversationId: id }
  }

  public async run(): Promise<AgentAnswer> {
    const { agentId, botpressConversationId } = this.turn
    const { id, status, named } = await this.continued()
    if (id !== undefined && status === 'taken_over') {
      return this.takenOver(id)
    }
    let reply: AgentReply
    let known = status
    try {
      reply = await this.send(id)
    } catch (thrown) {
      // Refused before anything was billed: an ended conversation continues in a new one, a human's is left alone,
      // and one remembered here that Chatbase no longer has is replaced.
      if (id === undefined || !(thrown instanceof ChatbaseError)) throw thrown
      if (thrown.chatbaseCode === NOT_ONGOING) {
        const now = await getConversationSummary(this.transport, agentId, id)
        if (now.status === 'taken_over') {
          return this.takenOver(id)
        }
      } else if (named || !isGone(thrown)) {
        throw thrown
      }
      if (botpressConversationId !== undefined) forgetLink(agentId, botpressConversationId)
      reply = await this.send(undefined)
      known = 'ongoing'
    }
    // No reply at all in a conversation that was not new: it may be paused, which the flow should hear.
    if (reply.text === '' && reply.toolCalls.length === 0 && id !== undefined && known === undefined) {
      known = (await getConversationSummary(this.transport, agentId, reply.chatbaseConversationId)).status ?? undefined
    }
    return agentAnswer(reply, this.configuration, known)
  }
}

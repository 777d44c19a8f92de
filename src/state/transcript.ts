import { RuntimeError, type z } from '@botpress/sdk'
import {
  botpressApi,
  botpressFailure,
  STATE_PAYLOAD_LIMIT_BYTES,
  type BotpressClient,
  type PlatformClient,
} from '../botpress/client'
import type { Deadline } from '../deadline'
import type { chatMessageSchema } from '../definitions/actions/chat'
import type { Configuration } from '../definitions/configuration'
import { TRANSCRIPT_STATE } from '../definitions/constants'

/*
 * Chatbase keeps no memory, so the integration keeps each conversation's latest messages in a Botpress conversation
 * state and sends them with every message. The bounds keep the state and the request flat however long the chat
 * runs, and the state within what Botpress stores.
 */

export type ChatMessage = z.infer<typeof chatMessageSchema>
export type MemoryBounds = { maxMessages: number; maxCharacters: number }
type Logger = { warn(message: string): void }

const DAY_MS = 24 * 60 * 60 * 1000
/** A state call normally takes milliseconds: past this, Chatbase keeps the rest of the action's time. */
export const STATE_CALL_LIMIT_MS = 10_000

export const memoryBounds = ({ memoryMessages, memoryCharacters }: Configuration): MemoryBounds => ({
  maxMessages: memoryMessages,
  maxCharacters: memoryCharacters,
})

/** The newest messages within both bounds, oldest dropped first; the newest message is always kept. */
export const boundTranscript = (
  messages: ChatMessage[],
  { maxMessages, maxCharacters }: MemoryBounds
): ChatMessage[] => {
  let start = Math.max(0, messages.length - maxMessages)
  let characters = messages.slice(start).reduce((sum, message) => sum + message.content.length, 0)
  while (start < messages.length - 1 && characters > maxCharacters) {
    characters -= messages[start]!.content.length
    start += 1
  }
  return messages.slice(start)
}

const EMPTY_PAYLOAD_BYTES = Buffer.byteLength(JSON.stringify({ messages: [] }))
// The JSON around one message, with the longest role and the comma after it, and the most a UTF-16 unit of its text
// can take in UTF-8 JSON (a control character or a lone surrogate, escaped as \uXXXX).
const MESSAGE_FRAME_BYTES = Buffer.byteLength(JSON.stringify({ role: 'assistant', content: '' })) + 1
const MOST_BYTES_PER_UNIT = 6

/** An upper bound of the payload's bytes from lengths alone: at the default bounds, no message needs measuring. */
const mostBytes = (messages: ChatMessage[]): number =>
  messages.reduce(
    (sum, message) => sum + MESSAGE_FRAME_BYTES + MOST_BYTES_PER_UNIT * message.content.length,
    EMPTY_PAYLOAD_BYTES
  )

/**
 * The newest messages whose state payload (`{ messages }` as UTF-8 JSON) fits in Botpress's limit, whatever the
 * script; none when even the newest does not.
 */
export const fitToState = (messages: ChatMessage[]): ChatMessage[] => {
  if (mostBytes(messages) <= STATE_PAYLOAD_LIMIT_BYTES) {
    return messages
  }
  // Each message with the comma before the next; the last one has none.
  const sizes = messages.map((message) => Buffer.byteLength(JSON.stringify(message)) + 1)
  let bytes = EMPTY_PAYLOAD_BYTES - 1 + sizes.reduce((sum, size) => sum + size, 0)
  let start = 0
  while (start < messages.length && bytes > STATE_PAYLOAD_LIMIT_BYTES) {
    bytes -= sizes[start]!
    start += 1
  }
  return messages.slice(start)
}

const isChatMessage = (value: unknown): value is ChatMessage => {
  const { role, content } = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>
  return (role === 'user' || role === 'assistant') && typeof content === 'string'
}

/**
 * The remembered messages of a conversation, as its state holds them; throws what Botpress answered otherwise. A state
 * of another shape (written by another version, or by hand) gives the messages it holds, and none when it holds none.
 */
const storedTranscript = async (client: BotpressClient, conversationId: string): Promise<ChatMessage[]> => {
  const { state } = await client.getState({ type: 'conversation', id: conversationId, name: TRANSCRIPT_STATE })
  const messages: unknown = state.payload.messages
  return Array.isArray(messages) ? messages.filter(isChatMessage) : []
}

/**
 * One conversation's memory during one Message Chatbot call, every state call bounded by the action's deadline.
 * Botpress may refuse an integration the states of a conversation that belongs to a channel (webchat…): then the
 * call goes on without memory and says why, and the caller can carry the chat with the History input and output.
 */
export class ConversationMemory {
  /** Why memory is off for this call; undefined while it works. */
  private refusal: string | undefined

  public constructor(
    private readonly platform: PlatformClient,
    private readonly conversationId: string,
    private readonly deadline: Deadline,
    private readonly configuration: Configuration,
    private readonly logger: Logger
  ) {}

  private client(): BotpressClient {
    return botpressApi(this.platform, Math.min(STATE_CALL_LIMIT_MS, this.deadline.remainingMs()))
  }

  private turnOff(reason: string): void {
    this.refusal = reason
    this.logger.warn(
      `Botpress refused to keep the memory of conversation "${this.conversationId}" (${reason}): this message is answered without it. Pass History (e.g. the History output of the previous message) to carry the conversation.`
    )
  }

  /**
   * The remembered messages; none when nothing was remembered yet or Botpress refuses the state. A failure that may
   * pass (Botpress unavailable or too slow) fails the card before anything is sent to Chatbase.
   */
  public async read(): Promise<ChatMessage[]> {
    try {
      return await storedTranscript(this.client(), this.conversationId)
    } catch (thrown) {
      const failure = botpressFailure(thrown)
      if (failure.kind === 'not-found') {
        return []
      }
      if (failure.kind === 'refused') {
        this.turnOff(failure.reason)
        return []
      }
      throw new RuntimeError(
        `Could not read the remembered conversation "${this.conversationId}" from Botpress (${failure.reason}); nothing was sent to Chatbase. Try again, or pass History.`
      )
    }
  }

  /**
   * Remembers the exchange after `earlier`, or, when merging, after what the conversation holds now: it is read again
   * just before writing, so that an exchange saved meanwhile by another instance is kept too. Returns the transcript
   * after this turn, saved or not; a failure to save is logged, never thrown: the answer is good.
   */
  public async save(
    earlier: ChatMessage[],
    exchange: ChatMessage[],
    bounds: MemoryBounds,
    merge: boolean
  ): Promise<ChatMessage[]> {
    const latest = merge && !this.refusal ? await this.reread(earlier) : earlier
    const transcript = fitToState(boundTranscript([...latest, ...exchange], bounds))
    if (this.refusal) {
      return transcript
    }
    if (this.deadline.remainingMs() === 0) {
      this.logger.warn(
        `Could not remember conversation "${this.conversationId}": the action's time ran out before the save.`
      )
      return transcript
    }
    try {
      await this.client().setState({
        type: 'conversation',
        id: this.conversationId,
        name: TRANSCRIPT_STATE,
        payload: { messages: transcript },
        expiry: this.configuration.memoryDays * DAY_MS,
      })
    } catch (thrown) {
      this.logger.warn(
        `Could not remember conversation "${this.conversationId}" (${botpressFailure(thrown).reason}); the next message will not know this one unless you pass History.`
      )
    }
    return transcript
  }

  /** What the conversation holds now; `earlier` when that cannot be read. */
  private async reread(earlier: ChatMessage[]): Promise<ChatMessage[]> {
    try {
      return await storedTranscript(this.client(), this.conversationId)
    } catch (thrown) {
      const failure = botpressFailure(thrown)
      if (failure.kind === 'refused') {
        this.turnOff(failure.reason)
      }
      return earlier
    }
  }
}

/** Whether Message Chatbot remembers this conversation for a Botpress conversation, which is where its leads belong. */
export const hasTranscript = async (client: BotpressClient, conversationId: string): Promise<boolean> => {
  try {
    await storedTranscript(client, conversationId)
    return true
  } catch (thrown) {
    if (botpressFailure(thrown).kind === 'not-found') {
      return false
    }
    throw thrown
  }
}

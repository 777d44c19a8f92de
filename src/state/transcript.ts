import { isApiError, RuntimeError, type IntegrationSpecificClient, type z } from '@botpress/sdk'
import type { ChatbaseIntegration } from '../definitions'
import type { chatMessageSchema } from '../definitions/chat'
import type { Configuration } from '../definitions/configuration'
import { DEFAULT_MEMORY_CHARACTERS, DEFAULT_MEMORY_MESSAGES, TRANSCRIPT_STATE } from '../definitions/constants'

/*
 * Chatbase keeps no memory, so the integration keeps each conversation's latest messages in a Botpress conversation
 * state and sends them with every message. Both bounds keep the state and the request flat however long the chat runs.
 */

export type ChatMessage = z.infer<typeof chatMessageSchema>
export type MemoryBounds = { maxMessages: number; maxCharacters: number }
type Client = IntegrationSpecificClient<ChatbaseIntegration>

export const memoryBounds = (configuration: Configuration): MemoryBounds => ({
  maxMessages: configuration.memoryMessages ?? DEFAULT_MEMORY_MESSAGES,
  maxCharacters: configuration.memoryCharacters ?? DEFAULT_MEMORY_CHARACTERS,
})

/** The newest messages within both bounds, oldest dropped first; the newest message is always kept. */
export const boundTranscript = (messages: ChatMessage[], { maxMessages, maxCharacters }: MemoryBounds): ChatMessage[] => {
  let start = Math.max(0, messages.length - maxMessages)
  let characters = messages.slice(start).reduce((sum, message) => sum + message.content.length, 0)
  while (start < messages.length - 1 && characters > maxCharacters) {
    characters -= messages[start]!.content.length
    start += 1
  }
  return messages.slice(start)
}

const isNotFound = (thrown: unknown): boolean => isApiError(thrown) && thrown.type === 'ResourceNotFound'

export const describeFailure = (thrown: unknown): string => (thrown instanceof Error ? thrown.message : 'unknown error')

/** The remembered messages of a conversation; none when nothing was remembered yet. */
export const readTranscript = async (client: Client, conversationId: string): Promise<ChatMessage[]> => {
  try {
    const { state } = await client.getState({ type: 'conversation', id: conversationId, name: TRANSCRIPT_STATE })
    return state.payload.messages
  } catch (thrown) {
    if (isNotFound(thrown)) {
      return []
    }
    throw new RuntimeError(
      `Could not read the remembered conversation "${conversationId}" from Botpress (${describeFailure(thrown)}); nothing was sent to Chatbase.`
    )
  }
}

export const saveTranscript = (client: Client, conversationId: string, messages: ChatMessage[]) =>
  client.setState({ type: 'conversation', id: conversationId, name: TRANSCRIPT_STATE, payload: { messages } })

/** Whether `messageChatbot` remembered this conversation for a Botpress conversation, which is where its leads belong. */
export const hasTranscript = async (client: Client, conversationId: string): Promise<boolean> => {
  try {
    await client.getState({ type: 'conversation', id: conversationId, name: TRANSCRIPT_STATE })
    return true
  } catch (thrown) {
    if (isNotFound(thrown)) {
      return false
    }
    throw thrown
  }
}


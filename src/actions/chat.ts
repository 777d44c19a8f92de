import { chatActions } from '../definitions/actions/chat'
import type { Configuration } from '../definitions/configuration'
import { boundTranscript, ConversationMemory, fitToState, memoryBounds, type ChatMessage } from '../state/transcript'
import { oneAtATime } from '../state/one-at-a-time'
import { actionDeadline, chatbaseClient, chatbotIdOf } from './shared/context'
import { implement } from './shared/implement'

const normalize = (text: string): string => text.toLowerCase().replace(/\s+/g, ' ').trim()

/**
 * The handled / not-handled signal a flow needs to hand over to a human: a reply that is empty or contains one of the
 * fallback phrases did not answer the user.
 */
export const isAnswered = (reply: string, { fallbackPhrases }: Configuration): boolean => {
  const normalizedReply = normalize(reply)
  return normalizedReply !== '' && !fallbackPhrases.some((phrase) => normalizedReply.includes(normalize(phrase)))
}

export default implement(chatActions)({
  messageChatbot: async ({ client, input, configuration, logger }) => {
    const { message, conversationId, history, resetConversation, model, temperature, chatbotId } = input
    const deadline = actionDeadline(configuration)
    const bounds = memoryBounds(configuration)
    const userMessage: ChatMessage = { role: 'user', content: message }

    const chat = async (messages: ChatMessage[]) => {
      const text = await chatbaseClient(configuration, deadline).chat({
        chatbotId: chatbotIdOf(configuration, { chatbotId }),
        messages,
        conversationId,
        model,
        temperature,
        stream: false,
      })
      const exchange: ChatMessage[] = [userMessage, { role: 'assistant', content: text }]
      return { answer: { text, answered: isAnswered(text, configuration), conversationId }, exchange }
    }

    // An explicit history means the caller carries the conversation; otherwise the integration remembers it.
    if (history !== undefined || conversationId === undefined) {
      const earlier = history ?? []
      const { answer, exchange } = await chat([...earlier, userMessage])
      return { ...answer, history: fitToState(boundTranscript([...earlier, ...exchange], bounds)) }
    }

    return oneAtATime(conversationId, deadline, async () => {
      const memory = new ConversationMemory(client, conversationId, deadline, configuration, logger.forBot())
      const earlier = resetConversation ? [] : await memory.read()
      const { answer, exchange } = await chat(boundTranscript([...earlier, userMessage], bounds))
      return { ...answer, history: await memory.save(earlier, exchange, bounds, !resetConversation) }
    })
  },
})

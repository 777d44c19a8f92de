import { chatActions } from '../definitions/chat'
import { chatbaseClient, chatbotIdOf, type ActionHandler } from './common'
import { isAnswered } from './fallback'
import { parseInput } from './input'
import { boundTranscript, describeFailure, memoryBounds, readTranscript, saveTranscript, type ChatMessage } from '../state/transcript'

export const messageChatbot: ActionHandler<'messageChatbot'> = async ({ ctx, input, client, logger }) => {
  const { message, conversationId, history, resetConversation, model, temperature, chatbotId } = parseInput(chatActions.messageChatbot, input)
  const userMessage: ChatMessage = { role: 'user', content: message }
  const bounds = memoryBounds(ctx.configuration)
  // An explicit history means the caller keeps the conversation; otherwise the integration remembers it.
  const remembered = history === undefined && conversationId !== undefined
  const earlier = remembered && !resetConversation ? await readTranscript(client, conversationId) : []
  const messages = history ? [...history, userMessage] : boundTranscript([...earlier, userMessage], bounds)

  const text = await chatbaseClient(ctx.configuration).chat({
    chatbotId: chatbotIdOf(ctx.configuration, { chatbotId }),
    messages,
    conversationId,
    model,
    temperature,
    stream: false,
  })

  if (remembered) {
    try {
      await saveTranscript(client, conversationId, boundTranscript([...messages, { role: 'assistant', content: text }], bounds))
    } catch (thrown) {
      // The answer is good: give it, and say why the next message will not remember this one.
      logger
        .forBot()
        .warn(
          `Could not remember conversation "${conversationId}" (${describeFailure(thrown)}). Use a Botpress conversation id, e.g. {{ event.conversationId }}, or pass History.`
        )
    }
  }
  return { text, answered: isAnswered(text, ctx.configuration), conversationId }
}

import { chatActions } from '../definitions/chat'
import { boundTranscript, ConversationMemory, fitToState, memoryBounds, type ChatMessage } from '../state/transcript'
import { oneAtATime } from '../state/one-at-a-time'
import { actionDeadline, chatbaseClient, chatbotIdOf, type ActionHandler } from './common'
import { isAnswered } from './fallback'
import { parseInput } from './input'

export const messageChatbot: ActionHandler<'messageChatbot'> = async ({ ctx, input, logger }) => {
  const { message, conversationId, history, resetConversation, model, temperature, chatbotId } = parseInput(chatActions.messageChatbot, input)
  const deadline = actionDeadline(ctx.configuration)
  const bounds = memoryBounds(ctx.configuration)
  const userMessage: ChatMessage = { role: 'user', content: message }

  const chat = async (messages: ChatMessage[]) => {
    const text = await chatbaseClient(ctx.configuration, deadline).chat({
      chatbotId: chatbotIdOf(ctx.configuration, { chatbotId }),
      messages,
      conversationId,
      model,
      temperature,
      stream: false,
    })
    return { text, answered: isAnswered(text, ctx.configuration), conversationId, exchange: [userMessage, { role: 'assistant', content: text }] as ChatMessage[] }
  }

  // An explicit history means the caller carries the conversation; otherwise the integration remembers it.
  if (history !== undefined || conversationId === undefined) {
    const messages = [...(history ?? []), userMessage]
    const { exchange, ...answer } = await chat(messages)
    return { ...answer, history: fitToState(boundTranscript([...(history ?? []), ...exchange], bounds)) }
  }

  return oneAtATime(conversationId, deadline, async () => {
    const memory = new ConversationMemory(ctx, conversationId, deadline, ctx.configuration, logger.forBot())
    const earlier = resetConversation ? [] : await memory.read()
    const { exchange, ...answer } = await chat(boundTranscript([...earlier, userMessage], bounds))
    return { ...answer, history: await memory.save(earlier, exchange, bounds, !resetConversation) }
  })
}

import { chatbaseClient, type ActionHandler } from './common'
import { parseInput } from './input'

export const messageChatbot: ActionHandler<'messageChatbot'> = async ({ ctx, input }) => {
  const { message, conversationId, history = [], model, temperature } = parseInput('messageChatbot', input)
  // Chatbase keeps no memory: every call carries the whole conversation, the new message last.
  const text = await chatbaseClient(ctx.configuration).chat({
    chatbotId: ctx.configuration.chatbotId,
    messages: [...history, { role: 'user', content: message }],
    conversationId,
    model,
    temperature,
    stream: false,
  })
  return { text, conversationId }
}

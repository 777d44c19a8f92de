import { z } from '@botpress/sdk'
import { chatbotIdOverride, temperature } from '../fields'

export const chatMessageSchema = z.object({
  role: z.enum(['user', 'assistant']).title('Role').describe('Who wrote the message: user or assistant.'),
  content: z.string().title('Content').describe('Text of the message.'),
})

export const chatActions = {
  messageChatbot: {
    title: 'Message Chatbot',
    description:
      'Send a message to the Chatbase chatbot and get its answer. With a Conversation ID and no History, the conversation is remembered for you.',
    input: {
      schema: z.object({
        message: z
          .string()
          .min(1)
          .title('Message')
          .describe("The user's latest message.")
          .placeholder('{{ event.preview }}'),
        conversationId: z
          .string()
          .min(1)
          .optional()
          .title('Conversation ID')
          .describe(
            'The Botpress conversation: the chat is remembered under it (unless History is given) and saved under it in the Chatbase dashboard, and leads submitted in it reach this conversation. Without it, nothing is remembered and Chatbase does not save the chat.'
          )
          .placeholder('{{ event.conversationId }}'),
        history: z
          .array(chatMessageSchema)
          .optional()
          .title('History')
          .describe(
            'Earlier messages, oldest first and without the latest one (that is Message), to send instead of the remembered ones, e.g. the History output of the previous message. When given, nothing is remembered.'
          ),
        resetConversation: z
          .boolean()
          .default(false)
          .title('Start Afresh')
          .describe(
            'Forget the remembered messages of this conversation before sending, e.g. when the user starts over; the message sent with it starts the new memory. Only with a Conversation ID and no History.'
          ),
        model: z.string().min(1).optional().title('Model').describe("Overrides the chatbot's model, e.g. gpt-4o-mini."),
        temperature: temperature('Randomness of the answer, from 0 (focused) to 1 (creative).'),
        chatbotId: chatbotIdOverride,
      }),
    },
    output: {
      schema: z.object({
        text: z.string().title('Answer').describe("The chatbot's answer."),
        answered: z
          .boolean()
          .title('Answered')
          .describe(
            'False when the answer is empty or contains one of the Fallback Phrases (letter case and spacing ignored): the chatbot could not help, e.g. hand over to a human.'
          ),
        conversationId: z
          .string()
          .optional()
          .title('Conversation ID')
          .describe('The conversation the chat was remembered and saved under, when one was given.'),
        history: z
          .array(chatMessageSchema)
          .title('History')
          .describe(
            'The conversation after this turn, oldest first and bounded by the memory settings: keep it in a variable and pass it as History with the next message to carry the chat yourself.'
          ),
      }),
    },
  },
} as const

import { z } from '@botpress/sdk'
import { chatMessageSchema } from './chat'
import { TRANSCRIPT_STATE } from './constants'

export const states = {
  [TRANSCRIPT_STATE]: {
    type: 'conversation',
    schema: z.object({
      messages: z
        .array(chatMessageSchema)
        .title('Messages')
        .describe('The latest messages of the conversation with the Chatbase chatbot, oldest first, bounded by the memory settings.'),
    }),
  },
} as const

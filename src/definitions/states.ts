import { z } from '@botpress/sdk'
import { chatMessageSchema } from './actions/chat'
import { DELIVERIES_STATE, TRANSCRIPT_STATE } from './constants'

export const states = {
  [TRANSCRIPT_STATE]: {
    type: 'conversation',
    schema: z.object({
      messages: z
        .array(chatMessageSchema)
        .title('Messages')
        .describe(
          'The latest messages of the conversation with the Chatbase chatbot, oldest first, bounded by the memory settings.'
        ),
    }),
  },
  [DELIVERIES_STATE]: {
    type: 'integration',
    schema: z.object({
      deliveries: z
        .array(z.string())
        .title('Deliveries')
        .describe(
          'Webhook deliveries recently turned into events, oldest first, each "<digest of the signed body> <seconds since 1970, base 36>", so that a repeat reaching another instance emits nothing.'
        ),
    }),
  },
} as const

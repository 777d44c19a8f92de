import { z } from '@botpress/sdk'
import { botpressFailure } from '../../botpress/client'
import { hasTranscript } from '../../state/transcript'
import type { ChatbaseEvent } from '../dispatcher'

// Chatbase types the customer fields as strings; a phone or an id may still come as a number, and is kept as text.
const text = z.union([z.string(), z.number()]).transform(String)

const schema = z.object({
  eventType: z.literal('leads.submit'),
  chatbotId: text.pipe(z.string().min(1)),
  payload: z.object({
    conversationId: text.pipe(z.string().min(1)),
    customerName: text.nullish(),
    customerEmail: text.nullish(),
    customerPhone: text.nullish(),
  }),
})

/**
 * Chatbase's leads.submit, as the webhooks page documents it, becomes the bot's leadSubmitted event. When Message
 * Chatbot remembers the Chatbase conversation for a Botpress conversation, the lead belongs there. Nothing about that
 * lookup may stop the lead: whatever fails (Botpress refusing a state of a conversation the integration does not own,
 * a malformed id, a timeout) leaves the lead unlinked.
 */
export const leadsSubmit: ChatbaseEvent<typeof schema> = {
  schema,
  describe: ({ payload }) => `Chatbase conversation "${payload.conversationId}"`,
  ifLost: 'If the bot did not get it, the lead is in Chatbase (Get Leads).',
  toBotpressEvent: async ({ chatbotId, payload }, { client, logger }) => {
    const linked = await hasTranscript(client, payload.conversationId).catch((thrown: unknown) => {
      logger.info(
        `The lead of Chatbase conversation "${payload.conversationId}" is sent unlinked: Botpress did not tell whether it belongs to a Botpress conversation (${botpressFailure(thrown).reason}).`
      )
      return false
    })
    return {
      type: 'leadSubmitted',
      ...(linked && { conversationId: payload.conversationId }),
      payload: {
        chatbotId,
        conversationId: payload.conversationId,
        customerName: payload.customerName ?? undefined,
        customerEmail: payload.customerEmail ?? undefined,
        customerPhone: payload.customerPhone ?? undefined,
      },
    }
  },
}

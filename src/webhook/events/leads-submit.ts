import { z } from '@botpress/sdk'
import type { ChatbaseEvent } from '../dispatcher'
import { linkedConversation } from './linked-conversation'

// Chatbase types the ids as strings; one may still come as a number, and is kept as text.
const text = z.union([z.string(), z.number()]).transform(String)

const CUSTOMER_FIELDS = ['customerName', 'customerEmail', 'customerPhone'] as const
type CustomerField = (typeof CUSTOMER_FIELDS)[number]

const schema = z.object({
  eventType: z.literal('leads.submit'),
  chatbotId: text.pipe(z.string().min(1)),
  payload: z.object({
    conversationId: text.pipe(z.string().min(1)),
    // Read one by one below: an odd value of one of them must not cost the lead the others.
    customerName: z.unknown(),
    customerEmail: z.unknown(),
    customerPhone: z.unknown(),
  }),
})

/** A customer field as text, and what was odd about it; absent when it holds no text. */
const customerText = (value: unknown): { text?: string; odd?: string } => {
  if (value === undefined || value === null || typeof value === 'string') {
    return { text: value ?? undefined }
  }
  // A phone or a postcode typed as a number is still what the visitor wrote.
  if (typeof value === 'number' && Number.isFinite(value)) {
    return { text: String(value) }
  }
  if (Array.isArray(value)) {
    const texts = value.filter((entry): entry is string | number => ['string', 'number'].includes(typeof entry))
    return texts.length > 0
      ? { text: texts.join(', '), odd: `a list, kept as its ${texts.length} text entries` }
      : { odd: 'a list without text, left out' }
  }
  return { odd: `${typeof value === 'object' ? 'an object' : `a ${typeof value}`}, left out` }
}

/**
 * Chatbase's leads.submit, as the webhooks page documents it, becomes the bot's leadSubmitted event. A customer field
 * of another type than text is converted or left out, and logged: the lead reaches the bot with all the rest. When
 * Message AI Agent held the Chatbase conversation for a Botpress conversation, the lead belongs there. Nothing about
 * that lookup may stop the lead: whatever fails (Botpress refusing a state of a conversation the integration does not
 * own, a malformed id, Chatbase refusing or not answering, a timeout) leaves the lead unlinked.
 */
export const leadsSubmit: ChatbaseEvent<typeof schema> = {
  schema,
  describe: ({ payload }) => `Chatbase conversation "${payload.conversationId}"`,
  ifLost: 'If the bot did not get it, the lead is in Chatbase (Get Leads).',
  toBotpressEvent: async ({ chatbotId, payload }, { client, chatbase, logger }) => {
    const customer: Partial<Record<CustomerField, string>> = {}
    for (const field of CUSTOMER_FIELDS) {
      const { text: value, odd } = customerText(payload[field])
      if (odd) {
        logger.warn(`The lead of Chatbase conversation "${payload.conversationId}" gave ${field} as ${odd}.`)
      }
      if (value !== undefined) {
        customer[field] = value
      }
    }
    const linked = await linkedConversation(chatbotId, payload.conversationId, { client, chatbase, logger })
    return {
      type: 'leadSubmitted',
      ...(linked !== undefined && { conversationId: linked }),
      payload: { chatbotId, conversationId: payload.conversationId, ...customer },
    }
  },
}

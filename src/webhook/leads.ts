import { z } from '@botpress/sdk'
import { boundedClient, botpressFailure } from '../botpress/client'
import { hasTranscript } from '../state/transcript'
import type { DeliveryOutcome } from './dedup'
import { RecentDeliveries } from './recent-deliveries'

/** Bounds of the webhook's own Botpress calls: the sender waits for the answer, and Botpress retries nothing here. */
export const WEBHOOK_STATE_CALL_MS = 2_000
export const CREATE_EVENT_CALL_MS = 5_000

// Chatbase types the customer fields as strings; a phone or an id may still come as a number, and is kept as text.
const text = z.union([z.string(), z.number()]).transform(String)

/** Chatbase's leads.submit body, as the webhooks page documents it. */
export const leadsSubmitWebhook = z.object({
  eventType: z.literal('leads.submit'),
  chatbotId: text.pipe(z.string().min(1)),
  payload: z.object({
    conversationId: text.pipe(z.string().min(1)),
    customerName: text.nullish(),
    customerEmail: text.nullish(),
    customerPhone: text.nullish(),
  }),
})

export type LeadsSubmit = z.infer<typeof leadsSubmitWebhook>
type Installation = Parameters<typeof boundedClient>[0] & { integrationId: string }
type Logger = { info(message: string): void; warn(message: string): void; error(message: string): void }

/**
 * When Message Chatbot remembers this conversation for a Botpress conversation, its leads belong there. Nothing about
 * this lookup may stop the lead: whatever fails (Botpress refusing a state of a conversation the integration does not
 * own, a malformed id, a timeout) leaves the lead unlinked.
 */
const linkedConversation = async (ctx: Installation, conversationId: string, logger: Logger): Promise<string | undefined> => {
  try {
    return (await hasTranscript(boundedClient(ctx, WEBHOOK_STATE_CALL_MS), conversationId)) ? conversationId : undefined
  } catch (thrown) {
    logger.info(
      `The lead of Chatbase conversation "${conversationId}" is sent unlinked: Botpress did not tell whether it belongs to a Botpress conversation (${botpressFailure(thrown).reason}).`
    )
    return undefined
  }
}

/**
 * Turns a verified leads.submit into the bot's leadSubmitted event, once per installation. Throws only when Botpress
 * answered that it did not create the event, so that the webhook's non-2xx answer always means "no event": the
 * sender may deliver again without a duplicate. When Botpress does not answer at all, the event may exist: the
 * delivery is recorded as done, so that a repeat does not emit it twice, and the lead stays in Chatbase's Get Leads.
 */
export const deliverLead = async (
  ctx: Installation,
  logger: Logger,
  key: string,
  { chatbotId, payload }: LeadsSubmit
): Promise<DeliveryOutcome> => {
  const recent = new RecentDeliveries(boundedClient(ctx, WEBHOOK_STATE_CALL_MS), ctx.integrationId, logger)
  // Both reads at once: neither depends on the other, and the sender waits.
  const [seen, conversationId] = await Promise.all([recent.has(key), linkedConversation(ctx, payload.conversationId, logger)])
  if (seen) {
    return 'duplicate'
  }
  try {
    await boundedClient(ctx, CREATE_EVENT_CALL_MS).createEvent({
      type: 'leadSubmitted',
      ...(conversationId && { conversationId }),
      payload: {
        chatbotId,
        conversationId: payload.conversationId,
        customerName: payload.customerName ?? undefined,
        customerEmail: payload.customerEmail ?? undefined,
        customerPhone: payload.customerPhone ?? undefined,
      },
    })
  } catch (thrown) {
    const failure = botpressFailure(thrown)
    if (failure.kind !== 'unanswered') {
      throw new Error(`Botpress did not create the leadSubmitted event (${failure.reason})`)
    }
    logger.error(
      `Botpress did not confirm the leadSubmitted event of Chatbase conversation "${payload.conversationId}" (${failure.reason}). It may have been created: the delivery counts as done so that a repeat is not a second event. If the bot did not get it, the lead is in Chatbase (Get Leads).`
    )
    await recent.add(key)
    return 'unconfirmed'
  }
  await recent.add(key)
  return 'delivered'
}

import type { IntegrationProps } from '@botpress/sdk'
import type { z } from '@botpress/sdk'
import type { leadsSubmitWebhook } from '../chatbase/wire'
import type { ChatbaseIntegration } from '../definitions'
import { hasTranscript } from '../state/transcript'

type HandlerProps = Parameters<IntegrationProps<ChatbaseIntegration>['handler']>[0]
export type LeadsSubmit = z.infer<typeof leadsSubmitWebhook>

/**
 * Turns a verified leads.submit into the bot's leadSubmitted event. When Message Chatbot held this conversation for a
 * Botpress conversation, the event is linked to it, so the flow talking to the visitor is the one that reacts; leads
 * from elsewhere (the Chatbase widget) arrive unlinked.
 */
export const emitLeadSubmitted = async ({ client }: Pick<HandlerProps, 'client'>, { chatbotId, payload }: LeadsSubmit) => {
  const linked = await hasTranscript(client, payload.conversationId)
  await client.createEvent({
    type: 'leadSubmitted',
    ...(linked && { conversationId: payload.conversationId }),
    payload: {
      chatbotId,
      conversationId: payload.conversationId,
      customerName: payload.customerName ?? undefined,
      customerEmail: payload.customerEmail ?? undefined,
      customerPhone: payload.customerPhone ?? undefined,
    },
  })
}

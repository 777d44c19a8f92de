import type { IntegrationProps } from '@botpress/sdk'
import type { z } from '@botpress/sdk'
import type { leadsSubmitWebhook } from '../chatbase/wire'
import type { ChatbaseIntegration } from '../definitions'

type HandlerProps = Parameters<IntegrationProps<ChatbaseIntegration>['handler']>[0]
export type LeadsSubmit = z.infer<typeof leadsSubmitWebhook>

/** Turns a verified leads.submit into the bot's leadSubmitted event. */
export const emitLeadSubmitted = async ({ client }: Pick<HandlerProps, 'client'>, { chatbotId, payload }: LeadsSubmit) => {
  await client.createEvent({
    type: 'leadSubmitted',
    payload: {
      chatbotId,
      conversationId: payload.conversationId,
      customerName: payload.customerName ?? undefined,
      customerEmail: payload.customerEmail ?? undefined,
      customerPhone: payload.customerPhone ?? undefined,
    },
  })
}

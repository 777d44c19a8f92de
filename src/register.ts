import type { IntegrationProps } from '@botpress/sdk'
import { chatbaseClient, configurationOf } from './actions/shared/context'
import type { ChatbaseIntegration } from './definitions'

type Props = IntegrationProps<ChatbaseIntegration>

/** Installation fails with Chatbase's reason when the key or chatbot id is wrong, instead of at the first card. */
export const register: Props['register'] = async ({ ctx, webhookUrl, logger }) => {
  const configuration = configurationOf(ctx)
  await chatbaseClient(configuration).checkAccess(configuration.chatbotId)
  logger
    .forBot()
    .info(
      `Connected to Chatbase chatbot "${configuration.chatbotId}". To receive leads, paste this webhook URL in Chatbase > the chatbot > Settings > Webhooks, event "Lead submitted": ${webhookUrl}`
    )
}

export const unregister: Props['unregister'] = async ({ logger }) => {
  logger
    .forBot()
    .info('Chatbase disconnected. Remove the webhook URL from Chatbase > the chatbot > Settings > Webhooks.')
}

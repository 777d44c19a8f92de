import type { IntegrationProps } from '@botpress/sdk'
import { chatbaseClient, configuredChatbotId } from './actions/common'
import type { ChatbaseIntegration } from './definitions'

type Props = IntegrationProps<ChatbaseIntegration>

/** Installation fails with Chatbase's reason when the key or chatbot id is wrong, instead of at the first card. */
export const register: Props['register'] = async ({ ctx, webhookUrl, logger }) => {
  const chatbotId = configuredChatbotId(ctx.configuration)
  await chatbaseClient(ctx.configuration).checkAccess(chatbotId)
  logger
    .forBot()
    .info(
      `Connected to Chatbase chatbot "${chatbotId}". To receive leads, paste this webhook URL in Chatbase > the chatbot > Settings > Webhooks, event "Lead submitted": ${webhookUrl}`
    )
}

export const unregister: Props['unregister'] = async ({ logger }) => {
  logger.forBot().info('Chatbase disconnected. Remove the webhook URL from Chatbase > the chatbot > Settings > Webhooks.')
}

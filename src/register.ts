import type { IntegrationProps } from '@botpress/sdk'
import { actionDeadline, chatbaseClient, chatbaseTransport, configurationOf } from './actions/shared/context'
import { isPlanRestricted } from './chatbase/errors'
import { checkAgentAccess } from './chatbase/v2/access'
import type { ChatbaseIntegration } from './definitions'
import type { Configuration } from './definitions/configuration'

type Props = IntegrationProps<ChatbaseIntegration>

/** Which API serves the installation, checked the way its cards will reach Chatbase. */
const checkedApi = async (configuration: Configuration): Promise<'v1' | 'v2'> => {
  // One deadline for both checks, as for a card: a v1 check after a refused v2 one shares it.
  const deadline = actionDeadline(configuration)
  const checkV1 = () => chatbaseClient(configuration, deadline).checkAccess(configuration.chatbotId)
  if (configuration.apiVersion === 'v1') {
    await checkV1()
    return 'v1'
  }
  try {
    await checkAgentAccess(chatbaseTransport(configuration, deadline), configuration.chatbotId)
    return 'v2'
  } catch (thrown) {
    if (configuration.apiVersion === 'v2' || !isPlanRestricted(thrown)) throw thrown
    await checkV1()
    return 'v1'
  }
}

/**
 * Installation fails with Chatbase's reason when the key or Agent ID is wrong, instead of at the first card, and says
 * which Chatbase API will serve the cards.
 */
export const register: Props['register'] = async ({ ctx, webhookUrl, logger }) => {
  const configuration = configurationOf(ctx)
  const api = await checkedApi(configuration)
  const served =
    api === 'v2'
      ? 'Chatbase API v2 serves the cards, and API v1 what only v1 has (contacts, custom attributes, leads, icons).'
      : configuration.apiVersion === 'v1'
        ? 'Chatbase API v1 serves every card, as the configuration asks; cards that only API v2 has will fail.'
        : "Chatbase API v1 serves every card: the workspace's plan does not include API v2 (Standard plan and up), so cards that only API v2 has will fail."
  logger
    .forBot()
    .info(
      `Connected to Chatbase AI agent "${configuration.chatbotId}". ${served} To receive leads, paste this webhook URL in Chatbase > the AI agent > Settings > Webhooks, event "Lead submitted": ${webhookUrl}`
    )
}

export const unregister: Props['unregister'] = async ({ logger }) => {
  logger
    .forBot()
    .info('Chatbase disconnected. Remove the webhook URL from Chatbase > the AI agent > Settings > Webhooks.')
}

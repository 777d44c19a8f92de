import type { IntegrationProps } from '@botpress/sdk'
import { ChatbaseClient } from '../chatbase/client'
import type { ContactFields } from '../chatbase/mapping'
import type { ActionName, ChatbaseIntegration } from '../definitions'
import { DEFAULT_TIMEOUT_SECONDS, type Configuration } from '../definitions/configuration'
import { invalidInput } from './input'

export type ActionHandler<A extends ActionName> = IntegrationProps<ChatbaseIntegration>['actions'][A]

export const chatbaseClient = (configuration: Configuration): ChatbaseClient =>
  new ChatbaseClient({
    apiKey: configuration.apiKey,
    timeoutMs: (configuration.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000,
  })

/** The rule the schema cannot state: Chatbase needs a customer id or an email on every Stripe account. */
export const checkStripeAccounts = (action: ActionName, fields: ContactFields): void => {
  const incomplete = (fields.stripeAccounts ?? []).flatMap((account, index) =>
    account.stripeId || account.stripeEmail ? [] : [`stripeAccounts.${index}: needs stripeId or stripeEmail`]
  )
  if (incomplete.length > 0) {
    throw invalidInput(action, incomplete)
  }
}

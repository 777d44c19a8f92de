import { RuntimeError, type IntegrationProps } from '@botpress/sdk'
import { ChatbaseClient } from '../chatbase/client'
import type { ContactFields } from '../chatbase/mapping'
import type { ActionName, ChatbaseIntegration } from '../definitions'
import type { Configuration } from '../definitions/configuration'
import { DEFAULT_TIMEOUT_SECONDS, PATH_SAFE_ID, PATH_SAFE_ID_PROBLEM } from '../definitions/constants'
import { Deadline } from '../deadline'
import { invalidInput, type ActionDefinition } from './input'

export type ActionHandler<A extends ActionName> = IntegrationProps<ChatbaseIntegration>['actions'][A]

/** The time an action may take from now: "Timeout (seconds)" of the configuration. */
export const actionDeadline = (configuration: Configuration): Deadline =>
  new Deadline((configuration.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000)

/** A client for one action: its requests share what is left of the action's deadline. */
export const chatbaseClient = (configuration: Configuration, deadline = actionDeadline(configuration)): ChatbaseClient =>
  new ChatbaseClient({ apiKey: configuration.apiKey, timeoutMs: deadline.remainingMs() })

/** The configured chatbot, checked like an action's Chatbot ID: Botpress does not check the configuration's values. */
export const configuredChatbotId = (configuration: Configuration): string => {
  if (!PATH_SAFE_ID.test(configuration.chatbotId)) {
    throw new RuntimeError(`Invalid configuration: Chatbot ID: ${PATH_SAFE_ID_PROBLEM}. Copy it from Chatbase: the chatbot > Settings > General.`)
  }
  return configuration.chatbotId
}

/** The chatbot an action works on: its own Chatbot ID input when given, else the configured one. */
export const chatbotIdOf = (configuration: Configuration, input: { chatbotId?: string }): string =>
  input.chatbotId ?? configuredChatbotId(configuration)

/** The rule the schema cannot state: Chatbase needs a customer id or an email on every Stripe account. */
export const stripeAccountProblems = (fields: ContactFields, at = ''): string[] =>
  (fields.stripeAccounts ?? []).flatMap((account, index) =>
    account.stripeId || account.stripeEmail ? [] : [`${at}stripeAccounts.${index}: needs stripeId or stripeEmail`]
  )

export const checkStripeAccounts = (action: ActionDefinition, fields: ContactFields): void => {
  const problems = stripeAccountProblems(fields)
  if (problems.length > 0) {
    throw invalidInput(action, problems)
  }
}

import { RuntimeError } from '@botpress/sdk'
import { ChatbaseClient } from '../../chatbase/v1/client'
import { ChatbaseTransport } from '../../chatbase/transport'
import { configurationSchema, type Configuration } from '../../definitions/configuration'
import { Deadline } from '../../deadline'
import { issuesOf, withoutBlankFields } from './input'

/**
 * The configuration with its defaults filled in. Botpress hands it over as it was saved, so it is parsed here, the
 * way each action parses its input, and a value the schema refuses names its field.
 */
export const configurationOf = (ctx: { configuration: unknown }): Configuration => {
  const result = configurationSchema.safeParse(withoutBlankFields(ctx.configuration))
  if (!result.success) {
    throw new RuntimeError(
      `Invalid configuration: ${issuesOf(result.error).join('; ')}. Fix it in the integration's configuration.`
    )
  }
  return result.data
}

/** The time an action may take from now: "Timeout (seconds)" of the configuration. */
export const actionDeadline = (configuration: Configuration): Deadline =>
  new Deadline(configuration.timeoutSeconds * 1000)

/** The transport of one action, for v2's areas (src/chatbase/v2): its requests share the action's deadline. */
export const chatbaseTransport = (
  configuration: Configuration,
  deadline = actionDeadline(configuration)
): ChatbaseTransport => new ChatbaseTransport({ apiKey: configuration.apiKey, deadline })

/** A v1 client for one action: its requests share what is left of the action's deadline. */
export const chatbaseClient = (
  configuration: Configuration,
  deadline = actionDeadline(configuration)
): ChatbaseClient => new ChatbaseClient({ apiKey: configuration.apiKey, deadline })

/** The AI agent an action works on: its own Agent ID input when given, else the configured one. */
export const chatbotIdOf = (configuration: Configuration, input: { chatbotId?: string }): string =>
  input.chatbotId ?? configuration.chatbotId
